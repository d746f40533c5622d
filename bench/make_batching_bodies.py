"""Request bodies for the batching section of bench/run.sh, for the large model (D=32):
  one.json        one sequence of T=100, as most production traffic sends it
  one-kserve.bin  the same sequence as a KServe binary FP32 request (its JSON's length in one-kserve.len)
  mixed/NN.json   80 % one sequence, 20 % a batch of 64, each with its own random T from 10 to 200
Run: python bench/make_batching_bodies.py target/bench/bodies"""
import json
import pathlib
import sys

import numpy as np

out = pathlib.Path(sys.argv[1])
(out / "mixed").mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(16)
one = rng.standard_normal((1, 100, 32)).round(6)
(out / "one.json").write_text(json.dumps({"x": one.tolist()}))
raw = one.astype("<f4").tobytes()
header = json.dumps({"inputs": [{"name": "x", "shape": list(one.shape), "datatype": "FP32",
                                 "parameters": {"binary_data_size": len(raw)}}]}).encode()
(out / "one-kserve.bin").write_bytes(header + raw)
(out / "one-kserve.len").write_text(str(len(header)))
for i in range(40):
    samples = 64 if i % 5 == 4 else 1
    steps = int(rng.integers(10, 201))
    x = rng.standard_normal((samples, steps, 32)).round(6)
    (out / "mixed" / f"{i:02d}.json").write_text(json.dumps({"x": x.tolist()}))
