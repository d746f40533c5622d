#!/usr/bin/env bash
# Load test on loopback: starts the service jar, holds 64 connections for 60 s with a mix of valid and invalid
# requests (scripts/load-test.lua checks every answer), then compares heap after a full GC, threads and file
# descriptors with where they were after warm-up. Prints a summary; exits non-zero on any violation.
# Needs wrk (Debian: apt-get install -y wrk) and a JDK with jcmd. Bounded: warm-up 10 s, load DURATION, 64 connections.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-options.sh

PORT=${PORT:-18480}
DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-64}
JAR=${JAR:-target/rnn-serving-0.1.0-SNAPSHOT.jar}
LOG=${LOG:-target/load-test-service.log}
URL="http://127.0.0.1:$PORT"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[ -f "$JAR" ] || ./mvnw -q -B -DskipTests package

java -Xmx512m $VECTOR_API_OPTION -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" \
  --rnn-serving.limits.max-samples=64 >"$LOG" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true' EXIT

for _ in $(seq 1 180); do
  curl -sf "$URL/actuator/health/readiness" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { echo "the service did not start; see $LOG" >&2; exit 1; }
  sleep 1
done
curl -sf "$URL/actuator/health/readiness" >/dev/null || { echo "the service is not ready after 180 s" >&2; exit 1; }

heap_used_kb() {
  jcmd "$PID" GC.run >/dev/null
  sleep 1
  jcmd "$PID" GC.heap_info | sed -n 's/.*heap .*used \([0-9]*\)K.*/\1/p' | head -1
}
threads() { awk '/^Threads:/ {print $2}' "/proc/$PID/status"; }
fds() { ls "/proc/$PID/fd" | wc -l; }

echo "warm-up: 10 s, $CONNECTIONS connections"
timeout 60 wrk -t2 -c"$CONNECTIONS" -d10s --timeout 10s -s scripts/load-test.lua "$URL" >/dev/null
sleep 3
heap_before=$(heap_used_kb); threads_before=$(threads); fds_before=$(fds)

echo "load: ${DURATION} s, $CONNECTIONS connections, 2 wrk threads, $URL"
out=$(timeout $((DURATION + 60)) wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency \
  -s scripts/load-test.lua "$URL")
echo "$out"
sleep 3
heap_after=$(heap_used_kb); threads_after=$(threads); fds_after=$(fds)

value() { echo "$out" | sed -n "s/.*$1=\([0-9]*\).*/\1/p" | head -1; }
answered=$(value requests); sent=$(value sent)
wrong=$(value wrong); server_errors=$(value server_errors); timeouts=$(value timeout); connects=$(value connect)

echo
echo "summary"
echo "  heap used after full GC: before ${heap_before} KB, after ${heap_after} KB"
echo "  threads: before ${threads_before}, after ${threads_after}"
echo "  file descriptors: before ${fds_before}, after ${fds_after}"
echo "  requests sent: ${sent}, answered: ${answered} (the rest in flight when wrk stopped)"
echo "  wrong answers: ${wrong}, 5xx: ${server_errors}, timeouts: ${timeouts}, connect errors: ${connects}"

violations=0
fail() { echo "VIOLATION: $*"; violations=$((violations + 1)); }
[ "${wrong:-1}" -eq 0 ] || fail "$wrong wrong answers"
# wrk stops with up to one request per connection unanswered; more missing would be lost answers
[ $((sent - answered)) -le "$CONNECTIONS" ] || fail "$((sent - answered)) requests sent but never answered"
[ "${server_errors:-1}" -eq 0 ] || fail "$server_errors 5xx answers"
[ "${timeouts:-1}" -eq 0 ] || fail "$timeouts requests timed out"
[ "${connects:-1}" -eq 0 ] || fail "$connects connections failed"
[ $((heap_after * 10)) -le $((heap_before * 11)) ] || fail "heap grew more than 10%: $heap_before KB -> $heap_after KB"
# a couple of JVM threads (JIT compiler, GC workers) come and go on their own; a leak grows with the load
[ "$threads_after" -le $((threads_before + 2)) ] || fail "threads grew: $threads_before -> $threads_after"
[ "$fds_after" -le $((fds_before + 2)) ] || fail "file descriptors grew: $fds_before -> $fds_after"

kill -TERM "$PID"; wait "$PID" || true
trap - EXIT
if [ "$violations" -gt 0 ]; then
  echo "FAILED: $violations violations"
  exit 1
fi
echo "PASSED"
