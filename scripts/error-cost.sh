#!/usr/bin/env bash
# What a refused request costs beside an answered one: starts the service jar on loopback, then for each case sends
# one request over and over with wrk (DURATION seconds, CONNECTIONS connections, after every case ran WARM_UP seconds
# so that the JIT has compiled all their paths)
# and prints the answers per second and the service's own CPU time per request (utime + stime of its process from
# /proc, so wrk's CPU is not counted). Needs wrk. Bounded: cases × (WARM_UP + DURATION).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18481}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-8}
WARM_UP=${WARM_UP:-10}
JAR=${JAR:-target/rnn-serving-0.1.0-SNAPSHOT.jar}
LOG=${LOG:-target/error-cost-service.log}
CASES=${CASES:-"predict model unknown-path unknown-v2 wrong-method wrong-method-v1 bad-request unsupported-type"}
URL="http://127.0.0.1:$PORT"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[ -f "$JAR" ] || ./mvnw -q -B -DskipTests package

java -Xmx512m --add-modules jdk.incubator.vector -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" \
  >"$LOG" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  curl -sf "$URL/actuator/health/readiness" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { echo "the service did not start; see $LOG" >&2; exit 1; }
  sleep 1
done

ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
hz=$(getconf CLK_TCK)
for case in $CASES $CASES; do
  CASE=$case timeout 60 wrk -t2 -c"$CONNECTIONS" -d"$((WARM_UP / 2))s" -s scripts/error-cost.lua "$URL" >/dev/null
done
printf "%-18s %10s %12s %16s\n" case "answers/s" status "CPU µs/request"
for case in $CASES; do
  before=$(ticks)
  out=$(CASE=$case timeout $((DURATION + 30)) wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s scripts/error-cost.lua "$URL")
  after=$(ticks)
  requests=$(echo "$out" | sed -n 's/^requests=\([0-9]*\)$/\1/p')
  rate=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')
  status=$(echo "$out" | grep -q "Non-2xx" && echo "$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p') non-2xx" || echo "all 2xx")
  cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }')
  printf "%-18s %10.0f %12s %16s\n" "$case" "$rate" "$status" "$cpu"
done
