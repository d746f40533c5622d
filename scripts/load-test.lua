-- wrk script for scripts/load-test.sh: a fixed mix of valid and invalid POST /predict requests.
-- Each answer is recognised by its body and checked against what its kind must get; done() prints the counts.

local readme_x = "[[[0.1,0.2,0.3],[0.4,0.5,0.6],[0.7,0.8,0.9],[1.0,1.1,1.2],[1.3,1.4,1.5],"
  .. "[1.6,1.7,1.8],[1.9,2.0,2.1],[2.2,2.3,2.4],[2.5,2.6,2.7],[2.8,2.9,3.0]]]"
-- Keras/numpy's answer for readme_x (src/test/resources/reference/notebook-reference.json); tolerance 1e-9
local readme_yhat = { -0.2278387881434021, 0.23407788654377812 }

local function batch(samples, steps)
  local rows = {}
  for n = 1, samples do
    local seq = {}
    for t = 1, steps do
      seq[t] = string.format("[%.3f,%.3f,%.3f]", math.sin(n + t), math.cos(n * t), (n - t) / 10)
    end
    rows[n] = "[" .. table.concat(seq, ",") .. "]"
  end
  return "[" .. table.concat(rows, ",") .. "]"
end

local json = { ["Content-Type"] = "application/json" }
-- kind, method, path, headers, body, expected status, expected problem type (nil: a 200)
local kinds = {
  { "readme", "POST", "/predict", json, '{"x":' .. readme_x .. '}', 200 },
  { "batch", "POST", "/predict", json, '{"x":' .. batch(8, 20) .. ',"returnState":true}', 200 },
  { "ragged-trace", "POST", "/predict", json, '{"x":[[[1,2,3]],[[4,5,6],[7,8,9]]],"lengths":[1,2],"trace":true}', 200 },
  { "malformed-json", "POST", "/predict", json, '{"x":[[[0.1,0.2,0.3]]', 400, "malformed-json" },
  { "wrong-shape", "POST", "/predict", json, '{"x":[[[0.1,0.2]]]}', 400, "wrong-shape" },
  { "invalid-number", "POST", "/predict", json, '{"x":[[[0.1,NaN,0.3]]]}', 400, "invalid-number" },
  { "unknown-field", "POST", "/predict", json, '{"x":[[[0.1,0.2,0.3]]],"inputs":1}', 400, "unknown-field" },
  { "unsupported-media-type", "POST", "/predict", { ["Content-Type"] = "text/plain" }, '{"x":[[[1,2,3]]]}', 415,
    "unsupported-media-type" },
  { "batch-too-large", "POST", "/predict", json, '{"x":' .. batch(65, 1) .. '}', 413, "batch-too-large" },
  { "not-found", "GET", "/nope", {}, nil, 404, "not-found" },
}
local schedule = { 1, 2, 1, 4, 3, 5, 1, 6, 2, 7, 1, 8, 9, 10 }
local requests = {}

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  -- formatted here, once wrk knows the host; wrk.format adds Host and Content-Length to the table it is given
  for i, kind in ipairs(kinds) do
    local headers = {}
    for name, value in pairs(kind[4]) do
      headers[name] = value
    end
    requests[i] = wrk.format(kind[2], kind[3], headers, kind[5])
  end
  position = 0
  sent = {}
  seen = {}
  wrong = 0
  server_errors = 0
  first_wrong = ""
  for i = 1, #kinds do
    sent[i] = 0
    seen[i] = 0
  end
end

function request()
  position = position % #schedule + 1
  local i = schedule[position]
  sent[i] = sent[i] + 1
  return requests[i]
end

local function index_of(name)
  for i, kind in ipairs(kinds) do
    if kind[1] == name then
      return i
    end
  end
  return nil
end

-- Which kind an answer belongs to, from its body alone, or nil when it belongs to none
local function classify(status, body)
  if body:find('"yhat"', 1, true) then
    if body:find('"hidden"', 1, true) then
      return index_of("ragged-trace")
    elseif body:find('"state"', 1, true) then
      return index_of("batch")
    end
    local a, b = body:match('^{"yhat":%[%[([-%d.eE]+),([-%d.eE]+)%]%]}$')
    if a and math.abs(tonumber(a) - readme_yhat[1]) <= 1e-9 and math.abs(tonumber(b) - readme_yhat[2]) <= 1e-9 then
      return index_of("readme")
    end
    return nil
  end
  local type = body:match('"type":"urn:rnn%-serving:problem:([%w-]+)"')
  return type and index_of(type) or nil
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  end
  local i = classify(status, body or "")
  if i and kinds[i][6] == status then
    seen[i] = seen[i] + 1
  else
    wrong = wrong + 1
    if first_wrong == "" then
      first_wrong = status .. " " .. string.sub(body or "", 1, 200)
    end
  end
end

function done(summary, latency, requests)
  local total_wrong, total_5xx, total_sent, total_seen = 0, 0, 0, 0
  local lines = {}
  for i, kind in ipairs(kinds) do
    local s, r = 0, 0
    for _, thread in ipairs(threads) do
      s = s + thread:get("sent")[i]
      r = r + thread:get("seen")[i]
    end
    total_sent = total_sent + s
    total_seen = total_seen + r
    table.insert(lines, string.format("kind %-24s sent %8d  answered right %8d  expected status %d", kind[1], s, r, kind[6]))
  end
  local first = ""
  for _, thread in ipairs(threads) do
    total_wrong = total_wrong + thread:get("wrong")
    total_5xx = total_5xx + thread:get("server_errors")
    if first == "" then
      first = thread:get("first_wrong")
    end
  end
  for _, line in ipairs(lines) do
    print(line)
  end
  local errors = summary.errors
  print(string.format("requests=%d answered_right=%d wrong=%d server_errors=%d sent=%d", summary.requests, total_seen,
    total_wrong, total_5xx, total_sent))
  print(string.format("socket_errors connect=%d read=%d write=%d status=%d timeout=%d", errors.connect, errors.read,
    errors.write, errors.status, errors.timeout))
  print(string.format("latency_ms p50=%.2f p99=%.2f max=%.2f", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  if first ~= "" then
    print("first wrong answer: " .. first)
  end
end
