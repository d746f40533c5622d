#!/usr/bin/env bash
# What a refused request costs beside an answered one: starts the service jar on loopback, then for each case sends
# one request over and over with wrk (DURATION seconds, CONNECTIONS connections, after every case ran WARM_UP seconds
# so that the JIT has compiled all their paths) and prints the answers per second and the service's own CPU time per
# request (utime + stime of its process from /proc, so wrk's CPU is not counted). ROUNDS > 1 runs the cases again in
# turn and prints each case's median, so that a change in the machine's load falls on every case alike. With
# BASELINE_JAR set, that build runs beside JAR on the next port and each case is measured on both, one after the
# other, in every round. Needs wrk. Bounded: builds × cases × (WARM_UP + ROUNDS × DURATION).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18481}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-8}
WARM_UP=${WARM_UP:-10}
ROUNDS=${ROUNDS:-1}
JAR=${JAR:-target/rnn-serving-0.1.0-SNAPSHOT.jar}
BASELINE_JAR=${BASELINE_JAR:-}
LOG=${LOG:-target/error-cost-service}
CASES=${CASES:-"predict model unknown-path unknown-v2 wrong-method wrong-method-v1 bad-request unsupported-type"}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[ -f "$JAR" ] || ./mvnw -q -B -DskipTests package

BUILDS=(this)
JARS=("$JAR")
if [ -n "$BASELINE_JAR" ]; then
  BUILDS+=(baseline)
  JARS+=("$BASELINE_JAR")
fi
PIDS=()
trap 'for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done' EXIT
for i in "${!JARS[@]}"; do
  java -Xmx512m --add-modules jdk.incubator.vector -jar "${JARS[$i]}" --server.address=127.0.0.1 \
    --server.port=$((PORT + i)) >"$LOG-${BUILDS[$i]}.log" 2>&1 &
  PIDS+=($!)
done
for i in "${!JARS[@]}"; do
  for _ in $(seq 1 180); do
    curl -sf "http://127.0.0.1:$((PORT + i))/actuator/health/readiness" >/dev/null 2>&1 && break
    kill -0 "${PIDS[$i]}" 2>/dev/null || { echo "the service did not start; see $LOG-${BUILDS[$i]}.log" >&2; exit 1; }
    sleep 1
  done
done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
for i in "${!JARS[@]}"; do
  for case in $CASES $CASES; do
    CASE=$case timeout 60 wrk -t2 -c"$CONNECTIONS" -d"$((WARM_UP / 2))s" -s scripts/error-cost.lua \
      "http://127.0.0.1:$((PORT + i))" >/dev/null
  done
done
results=$(mktemp)
for round in $(seq 1 "$ROUNDS"); do
  for case in $CASES; do
    for i in "${!JARS[@]}"; do
      before=$(ticks "${PIDS[$i]}")
      out=$(CASE=$case timeout $((DURATION + 30)) wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s scripts/error-cost.lua \
        "http://127.0.0.1:$((PORT + i))")
      after=$(ticks "${PIDS[$i]}")
      requests=$(echo "$out" | sed -n 's/^requests=\([0-9]*\)$/\1/p')
      wrong=$(echo "$out" | sed -n 's/^wrong=\([0-9]*\)$/\1/p')
      rate=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')
      cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }')
      echo "${BUILDS[$i]} $case $round $rate $cpu $wrong" >>"$results"
    done
  done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
printf "%-9s %-24s %10s %16s %14s %s\n" build case "answers/s" "CPU µs/request" "wrong status" "(each round)"
for case in $CASES; do
  for build in "${BUILDS[@]}"; do
    rows=$(awk -v b="$build" -v c="$case" '$1 == b && $2 == c' "$results")
    printf "%-9s %-24s %10.0f %16s %14s %s\n" "$build" "$case" "$(echo "$rows" | awk '{print $4}' | median)" \
      "$(echo "$rows" | awk '{print $5}' | median)" "$(echo "$rows" | awk '{ s += $6 } END { print s }')" \
      "$(echo "$rows" | awk '{print $5}' | tr '\n' ' ')"
  done
done
rm -f "$results"
