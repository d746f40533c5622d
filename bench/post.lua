-- wrk script: POSTs the file named by $BODY and prints one JSON line of results. The body is JSON, or with
-- $INFERENCE_HEADER_LENGTH a KServe binary tensor data body whose JSON is that many bytes.
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
local json_length = os.getenv("INFERENCE_HEADER_LENGTH")
if json_length and json_length ~= "" then
  wrk.headers["Content-Type"] = "application/octet-stream"
  wrk.headers["Inference-Header-Content-Length"] = json_length
else
  wrk.headers["Content-Type"] = "application/json"
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT {\"rps\":%.2f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"requests\":%d,\"errors\":%d}\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout))
end
