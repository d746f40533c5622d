"""Writes the benchmark models, one set of weights in three formats, into bench/models/ (gitignored).

  large.keras / large.json / large.onnx   SimpleRNN(256) on (100, 32) -> Dense(10), seeded random weights
  notebook.keras / notebook.onnx          the service's default model, from src/main/resources/models

The JSON is the service's own model format; the ONNX graph is Transpose -> RNN -> Squeeze -> Gemm, float32
(the only type ONNX Runtime's CPU RNN kernel takes). Run: python bench/make_models.py (with keras, tensorflow, onnx, onnxruntime; bench/run.sh makes that venv)
"""
import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import keras  # noqa: E402
import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "models"
SEED = 20261129


def keras_model(steps, features, units, outputs, weights):
    model = keras.Sequential([
        keras.Input(shape=(steps, features)),
        keras.layers.SimpleRNN(units, activation="tanh", name="simple_rnn"),
        keras.layers.Dense(outputs, activation="linear", name="dense"),
    ])
    model.set_weights(weights)
    return model


def service_json(name, steps, features, weights):
    w, u, b, dk, db = (np.asarray(a, dtype=np.float64) for a in weights)
    return {
        "name": name,
        "inputShape": [steps, features],
        "layers": [
            {"type": "SimpleRNN", "name": "simple_rnn", "units": int(w.shape[1]), "activation": "tanh",
             "kernel": w.tolist(), "recurrentKernel": u.tolist(), "bias": b.tolist()},
            {"type": "Dense", "name": "dense", "units": int(dk.shape[1]), "activation": "linear",
             "kernel": dk.tolist(), "bias": db.tolist()},
        ],
    }


def onnx_model(steps, features, weights):
    w, u, b, dk, db = (np.asarray(a, dtype=np.float32) for a in weights)
    units = w.shape[1]
    init = [
        numpy_helper.from_array(w.T[None, :, :].copy(), "W"),             # [1, M, D]
        numpy_helper.from_array(u.T[None, :, :].copy(), "R"),             # [1, M, M]
        numpy_helper.from_array(np.concatenate([b, np.zeros_like(b)])[None, :], "B"),  # [1, 2M]
        numpy_helper.from_array(dk, "dense_kernel"),
        numpy_helper.from_array(db, "dense_bias"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "axis0"),
    ]
    nodes = [
        helper.make_node("Transpose", ["x"], ["x_tnd"], perm=[1, 0, 2]),
        helper.make_node("RNN", ["x_tnd", "W", "R", "B"], ["", "h_last"], hidden_size=units,
                         activations=["Tanh"]),
        helper.make_node("Squeeze", ["h_last", "axis0"], ["h"]),
        helper.make_node("Gemm", ["h", "dense_kernel", "dense_bias"], ["yhat"]),
    ]
    graph = helper.make_graph(
        nodes, "simple_rnn_dense",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", steps, features])],
        [helper.make_tensor_value_info("yhat", TensorProto.FLOAT, ["N", dk.shape[1]])],
        init)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def write(name, steps, features, weights):
    OUT.mkdir(parents=True, exist_ok=True)
    units, outputs = weights[0].shape[1], weights[3].shape[1]
    keras_model(steps, features, units, outputs, weights).save(OUT / f"{name}.keras")
    (OUT / f"{name}.json").write_text(json.dumps(service_json(name, steps, features, weights)))
    onnx.save(onnx_model(steps, features, weights), OUT / f"{name}.onnx")


def check(name, steps, features, samples=4):
    """The three files must agree: Keras vs ONNX Runtime within float32 rounding."""
    import onnxruntime as ort
    x = np.random.default_rng(1).standard_normal((samples, steps, features)).astype(np.float32)
    expected = keras.saving.load_model(OUT / f"{name}.keras")(x).numpy()
    got = ort.InferenceSession(str(OUT / f"{name}.onnx"), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    err = float(np.max(np.abs(expected - got)))
    print(f"{name}: keras vs onnxruntime max |diff| = {err:.2e}")
    if err > 1e-4:
        sys.exit(f"{name}: ONNX disagrees with Keras")


def main():
    rng = np.random.default_rng(SEED)
    d, m, k = 32, 256, 10
    large = [
        rng.uniform(-1, 1, (d, m)) / np.sqrt(d),                       # kernel D×M
        np.linalg.qr(rng.standard_normal((m, m)))[0] * 0.9,           # orthogonal-ish recurrent kernel M×M
        rng.uniform(-0.1, 0.1, m),
        rng.uniform(-1, 1, (m, k)) / np.sqrt(m),
        rng.uniform(-0.1, 0.1, k),
    ]
    write("large", 100, d, large)

    nb = json.loads((ROOT / "src/main/resources/models/notebook-simple-rnn.json").read_text())
    rnn, dense = nb["layers"]
    notebook = [np.array(rnn["kernel"]), np.array(rnn["recurrentKernel"]), np.array(rnn["bias"]),
                np.array(dense["kernel"]), np.array(dense["bias"])]
    steps, features = nb["inputShape"]
    write("notebook", steps, features, notebook)
    for name, steps, features in (("large", 100, d), ("notebook", steps, features)):
        check(name, steps, features)


if __name__ == "__main__":
    main()
