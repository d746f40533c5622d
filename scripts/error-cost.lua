-- wrk script for scripts/error-cost.sh: one request, chosen by the environment variable CASE, sent over and over.
local x = "[[[0.1,0.2,0.3],[0.4,0.5,0.6],[0.7,0.8,0.9],[1.0,1.1,1.2],[1.3,1.4,1.5],"
  .. "[1.6,1.7,1.8],[1.9,2.0,2.1],[2.2,2.3,2.4],[2.5,2.6,2.7],[2.8,2.9,3.0]]]"
local json = { ["Content-Type"] = "application/json" }
local cases = {
  predict = { "POST", "/predict", json, '{"x":' .. x .. '}', 200 },
  model = { "GET", "/model", {}, nil, 200 },
  ["unknown-path"] = { "GET", "/no/such/path", {}, nil, 404 },
  ["unknown-v2"] = { "GET", "/v2/no/such/path", {}, nil, 404 },
  ["wrong-method"] = { "PUT", "/predict", json, '{"x":' .. x .. '}', 405 },
  ["wrong-method-v1"] = { "GET", "/v1/models/notebook-simple-rnn:predict", {}, nil, 405 },
  ["bad-request"] = { "POST", "/predict", json, '{"x":[[[0.1,0.2]]]}', 400 },
  ["unsupported-type"] = { "POST", "/predict", { ["Content-Type"] = "text/plain" }, '{"x":' .. x .. '}', 415 },
  -- the same two with a new connection for every request, as Tomcat forces after a 400: what a reconnection costs
  ["predict-close"] = { "POST", "/predict", { ["Content-Type"] = "application/json", ["Connection"] = "close" },
    '{"x":' .. x .. '}', 200 },
  ["unsupported-type-close"] = { "POST", "/predict", { ["Content-Type"] = "text/plain", ["Connection"] = "close" },
    '{"x":' .. x .. '}', 415 },
}
local chosen = cases[os.getenv("CASE") or "predict"]
local expected = chosen[5]
local request_text
local threads = {}
wrong = 0 -- global, so that done() can read each thread's count

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  request_text = wrk.format(chosen[1], chosen[2], chosen[3], chosen[4])
end

function request()
  return request_text
end

function response(status, headers, body)
  if status ~= expected then
    wrong = wrong + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("wrong")
  end
  io.write(string.format("requests=%d\nwrong=%d\n", summary.requests, total))
end
