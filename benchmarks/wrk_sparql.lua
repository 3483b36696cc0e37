-- wrk script for benchmarks/serve_peers.py: POST a SPARQL query (application/sparql-query).
-- Arguments after `--`: QUERY_FILE MODE ACCEPT, MODE "uncached" (a new trailing comment each request, so no
-- result cache can answer) or "cached" (the same text every time).
local body, mode, accept
local counter = 0
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_number", next_thread)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  body = file:read("*a")
  file:close()
  mode = args[2]
  accept = args[3]
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/sparql-query"
  wrk.headers["Accept"] = accept
  wrk.body = body
end

function request()
  if mode == "uncached" then
    counter = counter + 1
    return wrk.format(nil, nil, nil, body .. "\n# wrk " .. thread_number .. " " .. counter .. "\n")
  end
  return wrk.format()
end
