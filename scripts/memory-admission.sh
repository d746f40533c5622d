#!/usr/bin/env bash
# Admission by memory under a small heap (issue 15): starts the service jar with -Xmx$HEAP, sends CONCURRENT requests
# at once, each N=$SAMPLES × T=$STEPS × D=3 with "trace": true (the body is written once by python3), and prints the
# count of each status, whether the service is still healthy, and any OutOfMemoryError in its log.
# Runs: HEAP=128m CONCURRENT=3 (the issue's reproduction), then HEAP=512m CONCURRENT=64 with the largest batch
# the default limits take (N=400, T=3333: 3,999,600 numbers). Bounded: each request times out after 120 s.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18483}
JAR=${JAR:-target/rnn-serving-0.1.0-SNAPSHOT.jar}
URL="http://127.0.0.1:$PORT"
[ -f "$JAR" ] || ./mvnw -q -B -DskipTests package

run() {
  local heap=$1 concurrent=$2 samples=$3 steps=$4
  local body="target/admission-$samples-$steps.json" log="target/admission-$heap-$concurrent.log"
  [ -f "$body" ] || python3 -c "
import random, json, sys
random.seed(15)
x = [[[round(random.uniform(-1, 1), 3) for _ in range(3)] for _ in range($steps)] for _ in range($samples)]
sys.stdout.write(json.dumps({'x': x, 'trace': True}, separators=(',', ':')))" >"$body"
  java -Xmx"$heap" --add-modules jdk.incubator.vector -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" \
    --model.warm-up=0 >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do
    curl -sf "$URL/actuator/health/readiness" >/dev/null 2>&1 && break
    sleep 1
  done
  local start=$SECONDS
  local statuses
  statuses=$(seq 1 "$concurrent" | xargs -P "$concurrent" -I{} curl -s -o /dev/null -w '%{http_code}\n' \
    --max-time 120 -H 'Content-Type: application/json' --data-binary @"$body" "$URL/predict" | sort | uniq -c \
    | awk '{printf "%s×%s ", $2, $1}')
  local health
  health=$(curl -s -o /dev/null -w '%{http_code}' "$URL/actuator/health")
  local ok
  ok=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"x": [[[0.1,0.2,0.3]]]}' "$URL/predict")
  local oom
  oom=$(grep -c OutOfMemoryError "$log" || true)
  printf "heap %s, %s concurrent N=%s T=%s D=3 trace (body %s bytes): %sin %s s; then health %s, a small predict %s; OutOfMemoryError in log: %s\n" \
    "$heap" "$concurrent" "$samples" "$steps" "$(stat -c %s "$body")" "$statuses" $((SECONDS - start)) "$health" "$ok" "$oom"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

[ "${SKIP_SMALL:-}" ] || run "${HEAP_SMALL:-128m}" "${CONCURRENT_SMALL:-3}" 400 3300
[ "${SKIP_LARGE:-}" ] || run "${HEAP_LARGE:-512m}" "${CONCURRENT_LARGE:-64}" 400 3333
