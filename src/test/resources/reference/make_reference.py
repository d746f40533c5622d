"""Reference outputs for the default (notebook) model, computed independently of the Java engine.

Run with a Python that has numpy and keras (e.g. `python3 -m venv v && v/bin/pip install keras tensorflow-cpu`):
    KERAS_BACKEND=tensorflow v/bin/python src/test/resources/reference/make_reference.py
Writes notebook-reference.json beside this script:
  - numpy float64 forward pass (h_t = tanh(x_t Wx + h_{t-1} Wh + bh), y = h_T Wo + bo), with every hidden state;
  - Keras' own model.predict (float32) of the same Input(10,3) -> SimpleRNN(5) -> Dense(2) model.
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "..", "..", "..", "main", "resources", "models", "notebook-simple-rnn.json")

with open(MODEL) as f:
    spec = json.load(f)
rnn, dense = spec["layers"]
Wx = np.array(rnn["kernel"], dtype=np.float64)
Wh = np.array(rnn["recurrentKernel"], dtype=np.float64)
bh = np.array(rnn["bias"], dtype=np.float64)
Wo = np.array(dense["kernel"], dtype=np.float64)
bo = np.array(dense["bias"], dtype=np.float64)


def forward(x):
    """x: N x T x D float64 -> (yhat N x K, hidden N x T x M); batched, as the notebook's exercise asks."""
    n, t, _ = x.shape
    h = np.zeros((n, Wh.shape[0]))
    hidden = np.zeros((n, t, Wh.shape[0]))
    for step in range(t):
        h = np.tanh(x[:, step, :] @ Wx + h @ Wh + bh)
        hidden[:, step, :] = h
    return h @ Wo + bo, hidden


readme_x = np.round(np.arange(1, 31).reshape(1, 10, 3) * 0.1, 1)
rng = np.random.default_rng(20261129)
batch_x = rng.uniform(-2, 2, size=(4, 10, 3))
cases = []
for name, x in [("readme", readme_x), ("batch4", batch_x)]:
    yhat, hidden = forward(x)
    cases.append({"name": name, "x": x.tolist(), "yhat": yhat.tolist(), "hidden": hidden.tolist()})

try:
    import keras

    model = keras.Sequential([
        keras.Input((10, 3)),
        keras.layers.SimpleRNN(5, activation="tanh"),
        keras.layers.Dense(2, activation="linear"),
    ])
    model.set_weights([Wx.astype(np.float32), Wh.astype(np.float32), bh.astype(np.float32),
                       Wo.astype(np.float32), bo.astype(np.float32)])
    assert model.count_params() == 57
    for case in cases:
        case["kerasYhat"] = model.predict(np.array(case["x"], dtype=np.float32), verbose=0).astype(np.float64).tolist()
    keras_version = keras.__version__
except ImportError:
    keras_version = None

with open(os.path.join(HERE, "notebook-reference.json"), "w") as f:
    json.dump({"model": "notebook-simple-rnn", "kerasVersion": keras_version, "numpyVersion": np.__version__,
               "cases": cases}, f, indent=1)
print("wrote notebook-reference.json; keras", keras_version)
