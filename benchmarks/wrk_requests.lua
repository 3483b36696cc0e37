-- wrk script for benchmarks/mixed_browsing.py: cycle through a list of GET requests.
-- Argument after `--`: REQUESTS_FILE, one request a line: PATH, a tab, the Accept header.
-- Each thread starts at its own place in the list, so the threads do not ask in lockstep.
local requests = {}
local position = 0
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_number", next_thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local path, accept = line:match("^([^\t]+)\t(.+)$")
    if path then
      requests[#requests + 1] = wrk.format("GET", path, { ["Accept"] = accept })
    end
  end
  assert(#requests > 0, "no requests in " .. args[1])
  position = ((thread_number or 1) - 1) * math.floor(#requests / 7)
end

function request()
  position = position % #requests + 1
  return requests[position]
end
