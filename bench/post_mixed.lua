-- wrk script: POSTs, for each request, one of the JSON files $BODIES/00.json .. NN.json picked at random, and
-- prints one JSON line of results like post.lua.
local bodies = {}
for i = 0, 999 do
  local f = io.open(string.format("%s/%02d.json", os.getenv("BODIES"), i), "rb")
  if not f then break end
  bodies[#bodies + 1] = f:read("*a")
  f:close()
end
local headers = {["Content-Type"] = "application/json"}

local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end

init = function(args)
  math.randomseed(os.time() * 100 + id)  -- each wrk thread its own sequence
end

request = function()
  return wrk.format("POST", nil, headers, bodies[math.random(#bodies)])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT {\"rps\":%.2f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"requests\":%d,\"errors\":%d}\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout))
end
