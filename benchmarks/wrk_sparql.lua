-- wrk script for benchmarks/serve_peers.py: POST a SPARQL query (application/sparql-query, or a form).
-- Arguments after `--`: QUERY_FILE MODE ACCEPT [FORM_PREFIX_FILE], MODE "uncached" (a new trailing comment each
-- request, so no result cache can answer) or "cached" (the same text every time). With FORM_PREFIX_FILE the
-- body is application/x-www-form-urlencoded: that file's text (the dataset's fields, then "query=") followed
-- by the query percent-encoded.
local body, mode, accept, form
local counter = 0
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_number", next_thread)
end

local function read(path)
  local file = assert(io.open(path, "rb"))
  local text = file:read("*a")
  file:close()
  return text
end

-- Percent-encoding is character by character, so encode(a .. b) == encode(a) .. encode(b).
local function encode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  body = read(args[1])
  mode = args[2]
  accept = args[3]
  form = args[4] ~= nil
  wrk.method = "POST"
  wrk.headers["Accept"] = accept
  if form then
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    body = read(args[4]) .. encode(body)
  else
    wrk.headers["Content-Type"] = "application/sparql-query"
  end
  wrk.body = body
end

function request()
  if mode == "uncached" then
    counter = counter + 1
    local comment = "\n# wrk " .. thread_number .. " " .. counter .. "\n"
    if form then
      comment = encode(comment)
    end
    return wrk.format(nil, nil, nil, body .. comment)
  end
  return wrk.format()
end
