"""The machine's practical GEMM peak: numpy's OpenBLAS dgemm/sgemm, median GFLOP/s over repeats.

Run with OpenBLAS free to pick its kernel (the env sets a conservative core type for tests):
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/blas_peak.py   (a python with numpy)
Prints one JSON object.
"""
import json
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_info


def gflops(n, dtype, repeats=7):
    calls = max(1, (512 // n) ** 3)  # time enough products that a small size is not all call overhead
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)).astype(dtype)
    b = rng.standard_normal((n, n)).astype(dtype)
    c = np.empty((n, n), dtype=dtype)
    np.matmul(a, b, out=c)
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            np.matmul(a, b, out=c)
        rates.append(2.0 * n ** 3 * calls / (time.perf_counter() - start) / 1e9)
    return statistics.median(rates)


def main():
    blas = [{k: i.get(k) for k in ("internal_api", "version", "architecture", "num_threads")}
            for i in threadpool_info() if i.get("user_api") == "blas"]
    result = {"blas": blas}
    for n in (256, 2048):
        result[f"dgemm_{n}_gflops"] = round(gflops(n, np.float64), 1)
        result[f"sgemm_{n}_gflops"] = round(gflops(n, np.float32), 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
