#!/usr/bin/env bash
# Builds, starts the service and the Python peer on 127.0.0.1, measures them side by side with wrk, runs the
# engine against ONNX Runtime, and writes docs/benchmarks.md. Bounded: ROUNDS × (short wrk runs), ~18 minutes.
#   bench/run.sh                    ROUNDS=3 SMALL_SECONDS=10 LARGE_SECONDS=20 BATCH_SECONDS=10 by default;
#                                   JAVA_BENCH_OPTS adds JVM options to the service (e.g. -XX:+PrintCompilation,
#                                   into target/bench/java.log)
#   bench/run.sh batching           only the named sections (blas engine parser small large startup batching);
#                                   the report then replaces only their part of docs/benchmarks.md (batching, or
#                                   engine with or without blas)
# Installs what it needs when missing: wrk (Debian), and a venv in target/bench/venv with keras, tensorflow-cpu,
# onnx, onnxruntime, fastapi, uvicorn, threadpoolctl (or give PYTHON=... with those).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-options.sh
ROUNDS=${ROUNDS:-3}
SMALL_SECONDS=${SMALL_SECONDS:-10}
LARGE_SECONDS=${LARGE_SECONDS:-20}
BATCH_SECONDS=${BATCH_SECONDS:-10}
SECTIONS="$*"
want() { [ -z "$SECTIONS" ] || [[ " $SECTIONS " == *" $1 "* ]]; }
if [ -z "${PYTHON:-}" ]; then
  PYTHON=target/bench/venv/bin/python
  if [ ! -x "$PYTHON" ]; then
    python3 -m venv target/bench/venv
    target/bench/venv/bin/pip install -q keras tensorflow-cpu h5py onnx onnxruntime fastapi uvicorn threadpoolctl
  fi
fi
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
OUT=target/bench
JAVA_PORT=18480
PY_PORT=18490
mkdir -p "$OUT"
RESULTS=$OUT/results${SECTIONS:+-${SECTIONS// /-}}.jsonl
: > "$RESULTS"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

record() { echo "{\"what\":\"$1\",$2" >> "$RESULTS"; }  # $2: the rest of a JSON object, without its '{'

echo "== build"
./mvnw -q -B -DskipTests package
./mvnw -q -B -Pbench -DskipTests process-test-classes dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=$OUT/classpath.txt
JAR=$(ls target/rnn-serving-*.jar | grep -v original | head -1)
[ -f bench/models/large.onnx ] || "$PYTHON" bench/make_models.py
[ -f $OUT/bodies/large-kserve.bin ] || "$PYTHON" bench/make_bodies.py $OUT/bodies
[ -f $OUT/bodies/one-kserve.bin ] || "$PYTHON" bench/make_batching_bodies.py $OUT/bodies

if want blas; then
echo "== BLAS peak (numpy OpenBLAS, its own kernel choice)"
for i in $(seq "$ROUNDS"); do
  r=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PYTHON" bench/blas_peak.py); echo "$r"
  record blas "${r#\{}"
done
fi

BENCH_CP=target/classes:target/test-classes:$(cat $OUT/classpath.txt)
if want engine; then
echo "== engine (float32 on the machine's vectors, float32 on 256 bits, float64) vs ONNX Runtime, alternating calls"
echo "   (on an AVX-512 machine also both the engine and TensorFlow held to AVX2 instructions)"
echo "   in one JVM; then TensorFlow's tf.function on the same weights; the runs alternate round by round"
echo "cpu: $(grep -o -m1 avx512f /proc/cpuinfo || echo 'no avx512f'), load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$ROUNDS"); do
  for variant in "float32 auto" "float32 256" "float64 auto"; do
    # shellcheck disable=SC2086  # the variant is two arguments
    r=$(java -Xmx3g $VECTOR_API_OPTION -cp "$BENCH_CP" io.rnnserving.bench.PairedEngineRun large:256 2 9 12 $variant)
    echo "$r"; record engine "${r#\{}"
  done
  r=$("$PYTHON" bench/tf_engine.py 9 3 2>/dev/null); echo "$r"
  record engine-tf "${r#\{}"
  # An AVX2 machine, as near as this one can be: both sides held to AVX2 instructions (HotSpot's C2 emits no AVX-512,
  # so the engine's preferred vectors are 256 bits; oneDNN dispatches its AVX2 kernels), alternating like the rest.
  if grep -q -m1 avx512f /proc/cpuinfo; then
    r=$(java -XX:UseAVX=2 -Xmx3g $VECTOR_API_OPTION -cp "$BENCH_CP" io.rnnserving.bench.PairedEngineRun large:256 2 9 12 float32 auto)
    echo "$r"; record engine-avx2 "${r#\{}"
    r=$(ONEDNN_MAX_CPU_ISA=AVX2 "$PYTHON" bench/tf_engine.py 9 3 2>/dev/null); echo "$r"
    record engine-tf-avx2 "${r#\{}"
  fi
done
record load-engine "\"loadavg\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
fi

if want parser; then
echo "== parser: the /predict reader vs Jackson data binding on the large body (JMH, -prof gc)"
java -cp "$BENCH_CP" org.openjdk.jmh.Main ParserBenchmark -f 1 -wi 2 -i 3 -w 3 -r 4 -prof gc \
  -rf json -rff $OUT/parser-jmh.json > $OUT/parser-jmh.log 2>&1
"$PYTHON" - "$OUT/parser-jmh.json" "$OUT/bodies/large.json" >> "$RESULTS" <<'PY'
import json, os, sys
body = os.path.getsize(sys.argv[2])
for r in json.load(open(sys.argv[1])):
    name = r["benchmark"].rsplit(".", 1)[1]
    ms = r["primaryMetric"]["score"]
    alloc = r["secondaryMetrics"]["gc.alloc.rate.norm"]["score"]
    print(json.dumps({"what": "parser-" + name, "ms": ms, "mb_per_s": body / 1e6 / (ms / 1e3),
                      "alloc_bytes": alloc, "body_bytes": body}))
PY
tail -4 "$RESULTS"
fi

wait_up() {  # url
  for _ in $(seq 240); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done
  echo "not up: $1" >&2; return 1
}
start_java() {  # model file or "", [port, batching on or off]
  local env=() port=${2:-$JAVA_PORT}
  [ -n "$1" ] && env=(MODEL_PATH="$1")
  env "${env[@]}" java -Xmx4g $VECTOR_API_OPTION ${JAVA_BENCH_OPTS:-} -jar "$JAR" --server.port=$port --server.address=127.0.0.1 \
    --rnn-serving.bench.floor-endpoint=true --rnn-serving.batching.enabled=${3:-true} --logging.level.root=WARN \
    > $OUT/java-$port.log 2>&1 &
  JAVA_PID=$!; PIDS+=("$JAVA_PID")
  wait_up http://127.0.0.1:$port/actuator/health
}
start_python() {  # .keras file
  MODEL_PATH="$1" "${PYTHON%/python}/uvicorn" --app-dir bench/python_peer app:app --host 127.0.0.1 \
    --port $PY_PORT --workers 2 --log-level warning > $OUT/python.log 2>&1 &
  PY_PID=$!; PIDS+=("$PY_PID")
  wait_up http://127.0.0.1:$PY_PORT/health
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
load() {  # label url body connections seconds [length of the JSON of a KServe binary body]
  local r
  r=$(BODY=$3 INFERENCE_HEADER_LENGTH=${6:-} wrk -t$(( $4 < 2 ? $4 : 2 )) -c"$4" -d"$5"s --timeout 60s -s bench/post.lua "$2" \
    | grep '^RESULT' | cut -d' ' -f2-)
  echo "$1 $r"; record "$1" "${r#\{}"
}
load_mixed() {  # label url folder-of-bodies connections seconds
  local r
  r=$(BODIES=$3 wrk -t2 -c"$4" -d"$5"s --timeout 60s -s bench/post_mixed.lua "$2" | grep '^RESULT' | cut -d' ' -f2-)
  echo "$1 $r"; record "$1" "${r#\{}"
}

if want small; then
echo "== HTTP, default model, one sample per request, 32 connections"
start_java ""; start_python bench/models/notebook.keras
for url in predict bench/floor; do load "warmup-java-$url" http://127.0.0.1:$JAVA_PORT/$url $OUT/bodies/small.json 32 5; done
load warmup-python http://127.0.0.1:$PY_PORT/predict $OUT/bodies/small.json 32 5
for i in $(seq "$ROUNDS"); do
  load small-java-predict http://127.0.0.1:$JAVA_PORT/predict $OUT/bodies/small.json 32 "$SMALL_SECONDS"
  load small-java-floor http://127.0.0.1:$JAVA_PORT/bench/floor $OUT/bodies/small.json 32 "$SMALL_SECONDS"
  load small-python http://127.0.0.1:$PY_PORT/predict $OUT/bodies/small.json 32 "$SMALL_SECONDS"
done
stop "$JAVA_PID"; stop "$PY_PID"
fi

if want large; then
echo "== HTTP, large batch N=256 T=100 D=32 M=256 K=10, 2 connections"
start_java bench/models/large.json; start_python bench/models/large.keras
load warmup-java-large http://127.0.0.1:$JAVA_PORT/predict $OUT/bodies/large.json 2 10
KSERVE_BINARY=(http://127.0.0.1:$JAVA_PORT/v2/models/large/infer $OUT/bodies/large-kserve.bin)
KSERVE_JSON_LENGTH=$(cat $OUT/bodies/large-kserve.len)
load warmup-java-large-kserve-binary "${KSERVE_BINARY[@]}" 2 10 "$KSERVE_JSON_LENGTH"
load warmup-python-large http://127.0.0.1:$PY_PORT/predict $OUT/bodies/large.json 2 10
for i in $(seq "$ROUNDS"); do
  load large-java-predict http://127.0.0.1:$JAVA_PORT/predict $OUT/bodies/large.json 2 "$LARGE_SECONDS"
  load large-java-floor http://127.0.0.1:$JAVA_PORT/bench/floor $OUT/bodies/large.json 2 "$LARGE_SECONDS"
  load large-java-kserve-binary "${KSERVE_BINARY[@]}" 2 "$LARGE_SECONDS" "$KSERVE_JSON_LENGTH"
  load large-python http://127.0.0.1:$PY_PORT/predict $OUT/bodies/large.json 2 "$LARGE_SECONDS"
done
stop "$JAVA_PID"; stop "$PY_PID"
fi

if want batching; then
echo "== dynamic batching: the same service with batching on and off, side by side, alternating"
BATCH_OFF_PORT=$((JAVA_PORT + 2))
ON=http://127.0.0.1:$JAVA_PORT/predict
OFF=http://127.0.0.1:$BATCH_OFF_PORT/predict
ONE=$OUT/bodies/one.json
ONE_BINARY=(one.bin "$OUT/bodies/one-kserve.bin" $(cat $OUT/bodies/one-kserve.len))
start_java bench/models/large.json "$JAVA_PORT" true; ON_PID=$JAVA_PID
start_java bench/models/large.json "$BATCH_OFF_PORT" false; OFF_PID=$JAVA_PID
start_python bench/models/large.keras
for url in $ON $OFF; do load warmup-batching-large "$url" "$ONE" 64 5; load_mixed warmup-batching-mixed "$url" $OUT/bodies/mixed 64 5; done
load warmup-batching-python http://127.0.0.1:$PY_PORT/predict "$ONE" 64 5
calls() {  # engine calls and requests the batching service has made so far
  curl -s http://127.0.0.1:$JAVA_PORT/actuator/prometheus \
    | awk '/^rnn_batching_call_requests_count/{c=$2} /^rnn_batching_call_requests_sum/{s=$2} END{print c+0, s+0}'
}
for i in $(seq "$ROUNDS"); do
  read -r c0 s0 < <(calls)
  load batch-large64-on "$ON" "$ONE" 64 "$BATCH_SECONDS"
  read -r c1 s1 < <(calls)
  record batch-large64-on-calls "\"calls\":$(( ${c1%.*} - ${c0%.*} )),\"requests\":$(( ${s1%.*} - ${s0%.*} ))}"
  load batch-large64-off "$OFF" "$ONE" 64 "$BATCH_SECONDS"
  load batch-large64-python http://127.0.0.1:$PY_PORT/predict "$ONE" 64 "$BATCH_SECONDS"
  load batch-large64-binary-on "${ON%/predict}/v2/models/large/infer" "${ONE_BINARY[1]}" 64 "$BATCH_SECONDS" "${ONE_BINARY[2]}"
  load batch-large64-binary-off "${OFF%/predict}/v2/models/large/infer" "${ONE_BINARY[1]}" 64 "$BATCH_SECONDS" "${ONE_BINARY[2]}"
  load batch-large1-on "$ON" "$ONE" 1 "$BATCH_SECONDS"
  load batch-large1-off "$OFF" "$ONE" 1 "$BATCH_SECONDS"
  load_mixed batch-mixed64-on "$ON" $OUT/bodies/mixed 64 "$BATCH_SECONDS"
  load_mixed batch-mixed64-off "$OFF" $OUT/bodies/mixed 64 "$BATCH_SECONDS"
done
stop "$ON_PID"; stop "$OFF_PID"; stop "$PY_PID"
start_java "" "$JAVA_PORT" true; ON_PID=$JAVA_PID
start_java "" "$BATCH_OFF_PORT" false; OFF_PID=$JAVA_PID
for url in $ON $OFF; do load warmup-batching-small "$url" $OUT/bodies/small.json 32 5; done
for i in $(seq "$ROUNDS"); do
  load batch-small32-on "$ON" $OUT/bodies/small.json 32 "$BATCH_SECONDS"
  load batch-small32-off "$OFF" $OUT/bodies/small.json 32 "$BATCH_SECONDS"
done
stop "$ON_PID"; stop "$OFF_PID"
echo "cpu: $(grep -o -m1 avx512f /proc/cpuinfo || echo 'no avx512f')"
record batch-cpu "\"avx512f\":$(grep -q avx512f /proc/cpuinfo && echo true || echo false),\"seconds\":$BATCH_SECONDS}"
fi

if want startup; then
echo "== startup to ready (GET /actuator/health answers), service vs a bare app with the same starters"
./mvnw -q -B -f bench/bare-app/pom.xml -DskipTests package
BARE_JAR=bench/bare-app/target/bare-app-0.1.0-SNAPSHOT.jar
startup() {  # label jar [JVM options]
  local start end pid
  start=$(date +%s%N)
  java -Xmx1g ${3:-} -jar "$2" --server.port=$JAVA_PORT --server.address=127.0.0.1 --logging.level.root=WARN \
    > $OUT/startup.log 2>&1 &
  pid=$!; PIDS+=("$pid")
  until curl -fs -o /dev/null http://127.0.0.1:$JAVA_PORT/actuator/health; do sleep 0.02; done
  end=$(date +%s%N)
  stop "$pid"
  echo "$1 $(( (end - start) / 1000000 )) ms"; record "$1" "\"ms\":$(( (end - start) / 1000000 ))}"
}
for i in $(seq $(( ROUNDS + 2 ))); do startup startup-service "$JAR" "$VECTOR_API_OPTION"; startup startup-bare "$BARE_JAR"; done
fi

record load "\"loadavg\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
if [ -z "$SECTIONS" ]; then
  "$PYTHON" bench/report.py "$RESULTS" docs/benchmarks.md
  echo "wrote docs/benchmarks.md"
elif [ "$SECTIONS" = engine ] || [ "$SECTIONS" = "blas engine" ]; then
  "$PYTHON" bench/report.py --engine-only "$RESULTS" docs/benchmarks.md
  echo "wrote the engine section of docs/benchmarks.md"
elif [ "$SECTIONS" = batching ]; then
  "$PYTHON" bench/report.py --batching-only "$RESULTS" docs/benchmarks.md
  echo "wrote the batching section of docs/benchmarks.md"
fi
