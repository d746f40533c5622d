"""Turns bench/run.sh's results.jsonl into docs/benchmarks.md: medians over rounds, and the issue's ratios."""
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
from collections import defaultdict

batching_only = sys.argv[1] == "--batching-only"
engine_only = sys.argv[1] == "--engine-only"
args = sys.argv[2:] if batching_only or engine_only else sys.argv[1:]
rows = defaultdict(list)
for line in open(args[0]):
    r = json.loads(line)
    rows[r.pop("what")].append(r)


def med(what, key, **match):
    """Median of key over the rows of what whose fields equal match (a row without the field counts as its default)."""
    defaults = {"precision": "float64", "vector_bits": "auto"}  # engine rows written before float32
    values = [r[key] for r in rows.get(what, [])
              if key in r and all(r.get(k, defaults.get(k)) == v for k, v in match.items())]
    return statistics.median(values) if values else float("nan")


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def verdict(value, target):
    return "met" if value >= target else "**not met**"


rounds = len(rows.get("small-java-predict", [])) or len(rows.get("engine", []))
cpu = sh("lscpu | sed -n 's/^Model name: *//p'")
java = sh("java -version 2>&1 | head -1")
# the run's own load and time, so that a report made again later from the same results says the same
load = rows["load"][-1]["loadavg"] if "load" in rows else sh("cut -d' ' -f1-3 /proc/loadavg")
memory = sh("free -g | awk '/Mem:/{print $2}'")
now = datetime.datetime.fromtimestamp(os.path.getmtime(args[0]), datetime.timezone.utc).strftime(
    "%Y-%m-%d %H:%M UTC")


def batching_section():
    """Batching on and off, side by side: the issue's four measurements and the Python peer."""
    def rps(what):
        return med(what, "rps")

    def ratio(a, b):
        return a / b if b else float("nan")

    def paired(on, off, key="rps"):
        """Median over rounds of each round's on ÷ off: the two ran back to back, under the same load."""
        pairs = [ratio(a[key], b[key]) for a, b in zip(rows.get(on, []), rows.get(off, []))]
        return statistics.median(pairs) if pairs else float("nan")

    def p(what, q):
        return med(what, f"p{q}_ms")

    calls = rows.get("batch-large64-on-calls", [])
    per_call = statistics.median(c["requests"] / c["calls"] for c in calls if c["calls"]) if calls else float("nan")
    vector = "AVX-512 (`avx512f` in /proc/cpuinfo: 512-bit vectors)" if any(
        r.get("avx512f") for r in rows.get("batch-cpu", [])) else "no AVX-512 (`avx512f` absent from /proc/cpuinfo)"
    large_ratio = paired("batch-large64-on", "batch-large64-off")
    p50_ratio = paired("batch-large1-on", "batch-large1-off", "p50_ms")
    small_ratio = paired("batch-small32-on", "batch-small32-off")
    out = [
        "## Dynamic batching: the same service with batching on and off",
        "",
        f"Made by `bench/run.sh batching` on {now} (or as part of a full run), medians over "
        f"{len(rows.get('batch-large64-on', []))} rounds, load average at the end {load}. Two instances of the",
        "service run side by side, `--rnn-serving.batching.enabled=true` and `=false`, and wrk (`-t2`) alternates between",
        f"them, {med('batch-cpu', 'seconds'):.0f} s a run. CPU: {vector}.",
        "",
        "| load | batching | requests/s | p50 ms | p99 ms |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for what, label, setting in (
            ("batch-large64-on", "large model, N=1 T=100, 64 connections", "on"),
            ("batch-large64-off", "", "off"),
            ("batch-large64-python", "", "Python peer"),
            ("batch-large64-binary-on", "the same as KServe binary FP32, 64 connections", "on"),
            ("batch-large64-binary-off", "", "off"),
            ("batch-large1-on", "large model, N=1 T=100, 1 connection", "on"),
            ("batch-large1-off", "", "off"),
            ("batch-small32-on", "notebook model, N=1, 32 connections", "on"),
            ("batch-small32-off", "", "off"),
            ("batch-mixed64-on", "mixed: 80 % N=1, 20 % N=64, T 10–200, 64 connections", "on"),
            ("batch-mixed64-off", "", "off")):
        out.append(f"| {label} | {setting} | {rps(what):.0f} | {p(what, 50):.2f} | {p(what, 99):.2f} |")
    out += [
        "",
        "Ratios are medians over rounds of each round's on ÷ off (run back to back, under the same load); the table",
        "gives each row's own median.",
        "",
        f"- Large model, 64 connections: on ÷ off **{large_ratio:.1f}×** requests/s (target ≥ 5×: "
        f"{verdict(large_ratio, 5)}); p99 {p('batch-large64-on', 99):.0f} ms on vs {p('batch-large64-off', 99):.0f} ms "
        f"off ({'lower: met' if p('batch-large64-on', 99) < p('batch-large64-off', 99) else '**not lower**'}); "
        f"{per_call:.1f} requests per engine call on average; on ÷ Python peer "
        f"**{paired('batch-large64-on', 'batch-large64-python'):.1f}×**",
        f"- The same requests as KServe binary FP32 (no JSON numbers to parse): on ÷ off "
        f"**{paired('batch-large64-binary-on', 'batch-large64-binary-off'):.1f}×**, p99 "
        f"{p('batch-large64-binary-on', 99):.0f} ms on vs {p('batch-large64-binary-off', 99):.0f} ms off",
        f"- Large model, one connection: p50 on ÷ off **{p50_ratio:.2f}** (target at most 10 % slower: "
        f"{'met' if p50_ratio <= 1.10 else '**not met**'})",
        f"- Notebook model, 32 connections: on ÷ off **{small_ratio:.2f}×** (target ≥ 0.95×: "
        f"{verdict(small_ratio, 0.95)})",
        f"- Mixed load: on ÷ off {paired('batch-mixed64-on', 'batch-mixed64-off'):.1f}× requests/s, p99 "
        f"{p('batch-mixed64-on', 99):.0f} ms on vs {p('batch-mixed64-off', 99):.0f} ms off",
        "",
    ]
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "NOTES-batching.md")
    if os.path.exists(notes):
        out += [open(notes).read()]
    return out


def engine_section():
    """The engine alone on the large batch: float32 (the machine's widest vectors and 256 bits forced) and float64,
    against ONNX Runtime in the same JVM and TensorFlow's tf.function in alternating processes."""
    flops = 256 * 100 * 2 * 256 * (32 + 256) + 256 * 2 * 256 * 10  # input + recurrent products, Dense
    dpeak, speak = med("blas", "dgemm_2048_gflops"), med("blas", "sgemm_2048_gflops")
    o_ms, o_cpu = med("engine", "onnxruntime_ms"), med("engine", "onnxruntime_cpu_ms")
    t_ms, t_cpu = med("engine-tf", "tf_ms"), med("engine-tf", "tf_cpu_ms")
    bits = sorted({r.get("kernel", "") for r in rows.get("engine", []) if r.get("precision") == "float32"
                   and r.get("vector_bits") == "auto"})
    out = [
        "## Engine alone, the same large batch, against TensorFlow and ONNX Runtime (2 threads each)",
        "",
        "`io.rnnserving.bench.PairedEngineRun`: the engine and ONNX Runtime Java CPU (float32, RNN + Gemm graph from",
        "`bench/make_models.py`, 2 intra-op threads) called alternately in one JVM, once per engine variant; then",
        "`bench/tf_engine.py`: TensorFlow's `tf.function(model, jit_compile=False)` on the same weights (the Keras",
        "file), 2 intra-op threads. The three runs alternate round by round.",
        f"Float32 kernel in use (auto): {'; '.join(bits) or '—'}.",
        "",
        "| | wall ms/batch | CPU ms/batch | samples/s | GFLOP/s | share of sgemm peak | share of dgemm peak |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def row(label, ms, cpu, peak_column):
        gf = flops / (ms / 1e3) / 1e9
        share = f"{gf / (speak if peak_column == 's' else dpeak):.0%}"
        cells = (share, "—") if peak_column == "s" else ("—", share)
        return f"| {label} | {ms:.1f} | {cpu:.0f} | {256e3 / ms:.0f} | {gf:.1f} | {cells[0]} | {cells[1]} |"

    e32, c32 = med("engine", "engine_ms", precision="float32", vector_bits="auto"), \
        med("engine", "engine_cpu_ms", precision="float32", vector_bits="auto")
    e256, c256 = med("engine", "engine_ms", precision="float32", vector_bits="256"), \
        med("engine", "engine_cpu_ms", precision="float32", vector_bits="256")
    e64, c64 = med("engine", "engine_ms", precision="float64"), med("engine", "engine_cpu_ms", precision="float64")
    a_ms, a_cpu = med("engine-avx2", "engine_ms"), med("engine-avx2", "engine_cpu_ms")
    ta_ms, ta_cpu = med("engine-tf-avx2", "tf_ms"), med("engine-tf-avx2", "tf_cpu_ms")
    avx2 = [
        row("engine float32, AVX2 only (`-XX:UseAVX=2`)", a_ms, a_cpu, "s"),
        row("TensorFlow, AVX2 only (`ONEDNN_MAX_CPU_ISA=AVX2`)", ta_ms, ta_cpu, "s"),
    ] if rows.get("engine-avx2") else []
    out += [
        row("engine float32 (SIMD, machine's width)", e32, c32, "s"),
        row("engine float32 (SIMD, 256 bits forced)", e256, c256, "s"),
        row("engine float64 (SIMD)", e64, c64, "d"),
        row("TensorFlow tf.function (float32)", t_ms, t_cpu, "s"),
        row("ONNX Runtime (float32)", o_ms, o_cpu, "s"),
        *avx2,
        "",
        f"- engine float32 ÷ TensorFlow samples/s: **{t_ms / e32:.2f}×** by wall time, {t_cpu / c32:.2f}× by CPU time "
        f"(target ≥ 2×: {verdict(t_ms / e32, 2.0)}); with 256-bit vectors forced **{t_ms / e256:.2f}×** "
        f"({verdict(t_ms / e256, 2.0)})",
        *([f"- As an AVX2 machine (both held to AVX2 instructions, same rounds): engine ÷ TensorFlow **{ta_ms / a_ms:.2f}×** "
           f"by wall time, {ta_cpu / a_cpu:.2f}× by CPU time ({verdict(ta_ms / a_ms, 2.0)}). The core keeps its own "
           "caches and FMA pipes, so this stands in for, and does not replace, a machine without AVX-512."]
          if avx2 else []),
        f"- engine float32 ÷ ONNX Runtime: {o_ms / e32:.2f}× by wall time, {o_cpu / c32:.2f}× by CPU time; "
        f"float64 ÷ ONNX Runtime {o_ms / e64:.2f}×; float32 ÷ float64 {e64 / e32:.2f}×",
        "- ONNX Runtime's intra-op threads do not spin between calls (`session.intra_op.allow_spinning=0`), so they take",
        "  no CPU from the engine's turn; CPU ms is process CPU time (10 ms steps), the steadier figure on a shared "
        "machine.",
        f"- Practical peak, numpy OpenBLAS 2048³ on 2 threads: dgemm {dpeak:.1f} GFLOP/s, sgemm {speak:.1f} GFLOP/s; "
        f"at 256³ (the recurrent product's size): dgemm {med('blas', 'dgemm_256_gflops'):.1f}, "
        f"sgemm {med('blas', 'sgemm_256_gflops'):.1f}",
        f"- FLOPs per batch counted as {flops / 1e9:.2f} GFLOP (input projection, recurrent products, Dense)",
        f"- Load average when the section ended: {rows['load-engine'][-1]['loadavg'] if rows.get('load-engine') else load}",
        "",
        "JMH gives the same comparison one benchmark after the other (more sensitive to load drifting):",
        "`./mvnw -Pbench -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test "
        "-Dmdep.outputFile=target/bench/classpath.txt` then",
        "`java -cp target/classes:target/test-classes:$(cat target/bench/classpath.txt) org.openjdk.jmh.Main "
        "EngineBenchmark` (params `precision` float32/float64, `vectorBits` auto/256/512).",
        "",
    ]
    return out


if engine_only:
    doc = open(args[1]).read() if os.path.exists(args[1]) else "# Benchmarks\n"
    section = "\n".join(engine_section()) + "\n"
    start = doc.find("## Engine alone")
    if start >= 0:
        end = doc.find("\n## ", start + 1)
        doc = doc[:start] + section + (doc[end + 1:] if end >= 0 else "")
    else:
        doc = doc + "\n" + section
    open(args[1], "w").write(doc)
    sys.exit(0)


if batching_only:
    doc = open(args[1]).read() if os.path.exists(args[1]) else "# Benchmarks\n"
    section = "\n".join(batching_section()) + "\n"
    start = doc.find("## Dynamic batching")
    if start >= 0:
        end = doc.find("\n## ", start + 1)
        doc = doc[:start] + section + (doc[end + 1:] if end >= 0 else "")
    else:
        notes = doc.find("## Reading these numbers")
        doc = doc[:notes] + section + "\n" + doc[notes:] if notes >= 0 else doc + "\n" + section
    open(args[1], "w").write(doc)
    sys.exit(0)

sj, sf, sp = (med(w, "rps") for w in ("small-java-predict", "small-java-floor", "small-python"))
lj, lf, lp = (med(w, "rps") for w in ("large-java-predict", "large-java-floor", "large-python"))
blas = rows["blas"][0]["blas"] if rows.get("blas") else []

lines = [
    "# Benchmarks",
    "",
    f"Written by `bench/run.sh` on {now}. Medians over {rounds} rounds; every ratio compares runs made side by",
    "side in the same script, alternating, because the machine is shared and absolute times move with its load.",
    "",
    f"- Machine: {cpu}, {os.cpu_count()} cores, {memory} GiB; "
    f"{platform.system()} {platform.release()}; load average at the end {load}",
    f"- Java: {java}; service jar run with `-Xmx4g --add-modules jdk.incubator.vector` (SIMD step kernel), engine threads = cores",
    f"- BLAS: {json.dumps(blas)}",
    "- Command: `bench/run.sh` (env `ROUNDS`, `SMALL_SECONDS`, `LARGE_SECONDS`); raw lines in "
    "`target/bench/results.jsonl`",
    "",
    "## HTTP, default model, one sample per request, 32 connections (`wrk -t2 -c32`)",
    "",
    "| server | requests/s | p50 ms | p99 ms |",
    "| --- | ---: | ---: | ---: |",
]
for what, label in (("small-java-predict", "Java POST /predict"), ("small-java-floor", "Java POST /bench/floor"),
                    ("small-python", "Python peer POST /predict")):
    lines.append(f"| {label} | {med(what, 'rps'):.0f} | {med(what, 'p50_ms'):.2f} | {med(what, 'p99_ms'):.2f} |")
lines += [
    "",
    f"- /predict ÷ Python peer: **{sj / sp:.1f}×** (issue 18's target ≥ 25×: {verdict(sj / sp, 25)})",
    f"- /predict ÷ framework floor: **{sj / sf:.2f}×** (issue 18's target ≥ 0.9×: {verdict(sj / sf, 0.9)})",
    "",
    "## HTTP, large batch N=256, T=100, D=32, M=256, K=10 (~16 MB of JSON, `wrk -t2 -c2`)",
    "",
    "| server | requests/s | p50 ms | p99 ms |",
    "| --- | ---: | ---: | ---: |",
]
for what, label in (("large-java-predict", "Java POST /predict"), ("large-java-floor", "Java POST /bench/floor (parse only)"),
                    ("large-java-kserve-binary", "Java POST /v2/models/{name}/infer, binary FP32"),
                    ("large-python", "Python peer POST /predict")):
    lines.append(f"| {label} | {med(what, 'rps'):.2f} | {med(what, 'p50_ms'):.0f} | {med(what, 'p99_ms'):.0f} |")
lines += [
    "",
    f"- /predict ÷ Python peer: **{lj / lp:.1f}×** (issue 18's target ≥ 5×: {verdict(lj / lp, 5)})",
    f"- KServe binary FP32 ÷ Python peer (JSON): **{med('large-java-kserve-binary', 'rps') / lp:.1f}×**, the same "
    f"batch as raw floats, no JSON to parse (issue 18's target ≥ 10×: "
    f"{verdict(med('large-java-kserve-binary', 'rps') / lp, 10)})",
    f"- Parsing share of a large /predict (floor p50 ÷ predict p50): "
    f"{med('large-java-floor', 'p50_ms') / med('large-java-predict', 'p50_ms'):.0%}",
    "",
    *engine_section(),
]
payload = 256 * 100 * 32 * 4  # the batch's numbers as float32, the large model's precision
lines += [
    "## Parsing the large body (JMH `ParserBenchmark`, `-prof gc`)",
    "",
    f"Body {med('parser-streamingReader', 'body_bytes') / 1e6:.1f} MB of JSON; its numbers as float32 (the "
    f"model's precision) are {payload / 1e6:.2f} MB.",
    "",
    "| reader | ms/op | MB/s of JSON | allocated per request | ÷ payload as float32 |",
    "| --- | ---: | ---: | ---: | ---: |",
]
for what, label in (("parser-streamingReader", "/predict reader (streaming into the model's float[])"),
                    ("parser-jacksonPrimitiveArrays", "Jackson data binding into double[][][]"),
                    ("parser-jacksonBoxedLists", "Jackson data binding into List<List<List<Double>>>")):
    lines.append(f"| {label} | {med(what, 'ms'):.0f} | {med(what, 'mb_per_s'):.0f} | "
                 f"{med(what, 'alloc_bytes') / 1e6:.1f} MB | {med(what, 'alloc_bytes') / payload:.2f}× |")
ratio = med("parser-streamingReader", "alloc_bytes") / payload
speed = med("parser-streamingReader", "mb_per_s")
lines += ["", f"- issue 18's targets: ≥ 500 MB/s: {verdict(speed, 500)} ({speed:.0f} MB/s); allocation ≤ 1.5× the "
          f"payload as float32: {'met' if ratio <= 1.5 else '**not met**'} ({ratio:.2f}×)", ""]

su, sb = med("startup-service", "ms"), med("startup-bare", "ms")
lines += [
    "## Startup to ready",
    "",
    "From `java -jar` to the first 200 from GET /actuator/health, alternating the service (default model) with",
    "`bench/bare-app` (an empty Spring Boot app with the same starters), `-Xmx1g` each.",
    "",
    f"- service {su:.0f} ms, bare app {sb:.0f} ms: **{su / sb:.2f}×** (target ≤ 1.3×: "
    f"{'met' if su / sb <= 1.3 else '**not met**'})",
    "",
]
if "batch-large64-on" in rows:
    lines += batching_section()
notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "NOTES.md")
if os.path.exists(notes):
    lines += [open(notes).read()]
open(args[1], "w").write("\n".join(lines))
