"""Request bodies for bench/run.sh: one sample for the default model, N=256 for the large one (about 16 MB), and
the same large batch as a KServe binary FP32 request (about 3.3 MB), with its JSON's length in large-kserve.len."""
import json
import pathlib
import sys

import numpy as np

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(5)
(out / "small.json").write_text(json.dumps({"x": rng.standard_normal((1, 10, 3)).tolist()}))
large = rng.standard_normal((256, 100, 32))
(out / "large.json").write_text(json.dumps({"x": large.tolist()}))
x = large.astype("<f4").tobytes()
header = json.dumps({"inputs": [{"name": "x", "shape": list(large.shape), "datatype": "FP32",
                                 "parameters": {"binary_data_size": len(x)}}]}).encode()
(out / "large-kserve.bin").write_bytes(header + x)
(out / "large-kserve.len").write_text(str(len(header)))
