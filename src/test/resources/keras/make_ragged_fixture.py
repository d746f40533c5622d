"""What a ragged batch must answer, by Keras itself.

    KERAS_BACKEND=tensorflow python make_ragged_fixture.py

For each model below, ragged_<model>.keras is saved without a Masking layer (the served model), and
ragged_<model>.json holds a ragged batch (post-padded copy and lengths too) with:
  expected:        Keras' answer for each sample alone, unpadded: no padding can leak into it;
  expected_masked: Keras' answer for the post-padded batch through a Masking(0.0) twin with the same weights.
For "single" (one go_backwards layer) the two agree: Keras' mask skips the padding and go_backwards reads each
sequence's valid steps in reverse. For "stacked" (a go_backwards layer returning sequences under a forward layer)
they differ for short samples: Keras passes the mask on un-reversed while the sequence it returns is reversed,
so the forward layer reads the padding's outputs. This service answers `expected` for both.
"""
import json
import os

import keras
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(5)


def single(masking):
    inputs = keras.Input((None, 3))
    x = keras.layers.Masking(0.0)(inputs) if masking else inputs
    x = keras.layers.SimpleRNN(4, go_backwards=True, name="backwards")(x)
    return keras.Model(inputs, keras.layers.Dense(2, name="head")(x), name="ragged_single")


def stacked(masking):
    inputs = keras.Input((None, 3))
    x = keras.layers.Masking(0.0)(inputs) if masking else inputs
    x = keras.layers.SimpleRNN(4, go_backwards=True, return_sequences=True, name="backwards")(x)
    x = keras.layers.SimpleRNN(3, name="forwards")(x)
    return keras.Model(inputs, keras.layers.Dense(2, name="head")(x), name="ragged_stacked")


lengths = [5, 3, 1]
padded = np.zeros((3, 5, 3), dtype=np.float32)
for n, length in enumerate(lengths):
    padded[n, :length] = rng.uniform(-2, 2, (length, 3)).astype(np.float32)

for name, build in [("single", single), ("stacked", stacked)]:
    served = build(False)
    served.set_weights([rng.uniform(-1, 1, w.shape).astype(np.float32) for w in served.get_weights()])
    masked = build(True)
    masked.set_weights(served.get_weights())
    served.save(os.path.join(HERE, f"ragged_{name}.keras"))
    alone = [served.predict(padded[n:n + 1, :length], verbose=0)[0] for n, length in enumerate(lengths)]
    with open(os.path.join(HERE, f"ragged_{name}.json"), "w") as f:
        json.dump({"description": f"ragged batch through {served.name}; see make_ragged_fixture.py",
                   "keras_version": keras.__version__,
                   "model_file": f"ragged_{name}.keras",
                   "lengths": lengths,
                   "padded": padded.astype(np.float64).tolist(),
                   "ragged": [padded[n, :length].astype(np.float64).tolist() for n, length in enumerate(lengths)],
                   "expected": np.array(alone, dtype=np.float64).tolist(),
                   "expected_masked": masked.predict(padded, verbose=0).astype(np.float64).tolist()}, f)
    print(name, "max |alone - masked| =", float(np.abs(np.array(alone) - masked.predict(padded, verbose=0)).max()))
