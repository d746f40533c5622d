#!/usr/bin/env bash
# JFR of the service (after bench/run.sh built the jar and the bodies) answering the large batch over HTTP (2 connections), JSON then KServe binary; buckets printed.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench
JAR=$(ls target/rnn-serving-*.jar | grep -v original | head -1)
for kind in json binary; do
  rm -f /tmp/large-$kind.jfr
  MODEL_PATH=bench/models/large.json java -Xmx4g --add-modules jdk.incubator.vector -jar "$JAR" --server.port=18777 \
    --server.address=127.0.0.1 --logging.level.root=WARN > /tmp/profile-$kind.log 2>&1 &
  PID=$!
  for _ in $(seq 120); do curl -fs -o /dev/null http://127.0.0.1:18777/actuator/health && break; sleep 0.5; done
  if [ $kind = json ]; then
    URL=http://127.0.0.1:18777/predict; export BODY=$OUT/bodies/large.json; unset INFERENCE_HEADER_LENGTH || true
  else
    URL=http://127.0.0.1:18777/v2/models/large/infer; export BODY=$OUT/bodies/large-kserve.bin
    export INFERENCE_HEADER_LENGTH=$(cat $OUT/bodies/large-kserve.len)
  fi
  wrk -t2 -c2 -d10s --timeout 60s -s bench/post.lua $URL | grep RESULT
  jcmd $PID JFR.start name=p settings=profile filename=/tmp/large-$kind.jfr > /dev/null
  wrk -t2 -c2 -d15s --timeout 60s -s bench/post.lua $URL | grep RESULT
  jcmd $PID JFR.stop name=p > /dev/null
  kill $PID; wait $PID 2>/dev/null || true
  echo "== $kind"; python3 bench/jfr_buckets.py /tmp/large-$kind.jfr
done
