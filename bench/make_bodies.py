"""Request bodies for bench/run.sh: one sample for the default model, N=256 for the large one (about 16 MB)."""
import json
import pathlib
import sys

import numpy as np

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(5)
(out / "small.json").write_text(json.dumps({"x": rng.standard_normal((1, 10, 3)).tolist()}))
(out / "large.json").write_text(json.dumps({"x": rng.standard_normal((256, 100, 32)).tolist()}))
