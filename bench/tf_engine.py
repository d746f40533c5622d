"""TensorFlow's engine alone on the large batch, for the engine comparison (issue 18): the same weights
(bench/models/large.keras: SimpleRNN(256) on (100, 32) -> Dense(10), float32) in a Keras 3 model, called as
tf.function(model, jit_compile=False) on 2 intra-op threads, on a seeded standard-normal batch of N=256.

    python bench/tf_engine.py [rounds=9] [warmup=3]      (keras, tensorflow)

Prints one JSON line: median wall and process CPU ms per batch, samples/s and GFLOP/s (3.78 GFLOP a batch,
counted as the engine section counts it: input projection, recurrent products, Dense).
"""
import json
import os
import pathlib
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(2)
tf.config.threading.set_inter_op_parallelism_threads(1)
import keras  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
N, T, D, M, K = 256, 100, 32, 256, 10
FLOP = 2.0 * N * T * (D * M + M * M) + 2.0 * N * M * K


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    warmup = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    model = keras.saving.load_model(ROOT / "bench" / "models" / "large.keras")
    call = tf.function(model, jit_compile=False)
    x = tf.constant(np.random.default_rng(42).standard_normal((N, T, D)).astype(np.float32))
    walls, cpus = [], []
    for i in range(-warmup, rounds):
        cpu = time.process_time()
        start = time.perf_counter()
        y = call(x).numpy()
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu
        if i >= 0:
            walls.append(wall * 1e3)
            cpus.append(cpu * 1e3)
    wall = statistics.median(walls)
    print(json.dumps({"engine": "tensorflow " + tf.__version__ + " tf.function(jit_compile=False)", "threads": 2,
                      "rounds": rounds, "tf_ms": round(wall, 1), "tf_cpu_ms": round(statistics.median(cpus), 1),
                      "tf_samples_per_s": round(N * 1e3 / wall), "tf_gflops": round(FLOP / wall / 1e6, 1),
                      "finite": bool(np.isfinite(y).all())}))


if __name__ == "__main__":
    main()
