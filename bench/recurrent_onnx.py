"""ONNX Runtime's LSTM and GRU operators on the issue's large batch (N=256, T=100, D=32, M=256), for the engine
alone to be compared with (io.rnnserving.engine.RecurrentLayerTiming, the same sizes and flop count).

    python bench/recurrent_onnx.py        (a python with numpy, onnx, onnxruntime)

Keras' weights (LSTM gates i, f, c, o; GRU z, r, h with reset_after=True) are drawn seeded and converted to ONNX's
layouts (LSTM gates i, o, f, c; GRU z, r, h with linear_before_reset=1); each model is checked against a numpy
forward pass of Keras' equations before it is timed. ONNX Runtime runs float32 (its CPU LSTM/GRU take no double),
2 intra-op threads. Prints one JSON line per operator: best and median seconds per batch over 8 runs and GFLOP/s,
counting the two products only, 2·N·T·(D + M)·gates·M.
"""
import json
import statistics
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

N, T, D, M = 256, 100, 32, 256


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def keras_lstm(x, w, u, b):
    h = np.zeros((x.shape[0], M))
    c = np.zeros((x.shape[0], M))
    for t in range(x.shape[1]):
        z = x[:, t] @ w + h @ u + b
        i, f, g, o = sigmoid(z[:, :M]), sigmoid(z[:, M:2 * M]), np.tanh(z[:, 2 * M:3 * M]), sigmoid(z[:, 3 * M:])
        c = f * c + i * g
        h = o * np.tanh(c)
    return h


def keras_gru(x, w, u, b):
    h = np.zeros((x.shape[0], M))
    for t in range(x.shape[1]):
        xz = x[:, t] @ w + b[0]
        hz = h @ u + b[1]
        z = sigmoid(xz[:, :M] + hz[:, :M])
        r = sigmoid(xz[:, M:2 * M] + hz[:, M:2 * M])
        hh = np.tanh(xz[:, 2 * M:] + r * hz[:, 2 * M:])
        h = z * h + (1 - z) * hh
    return h


def model(op, w, r, b, gates, **attributes):
    init = [numpy_helper.from_array(a.astype(np.float32), n) for a, n in ((w, "W"), (r, "R"), (b, "B"))]
    node = helper.make_node(op, ["x", "W", "R", "B"], ["", "h"], hidden_size=M, **attributes)
    graph = helper.make_graph([node], op.lower(), [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["T", "N", D])],
                              [helper.make_tensor_value_info("h", TensorProto.FLOAT, [1, "N", M])], init)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    return ort.InferenceSession(m.SerializeToString(), options, providers=["CPUExecutionProvider"])


def lstm(rng):
    w = rng.uniform(-1, 1, (D, 4 * M)) / np.sqrt(D)
    u = rng.uniform(-1, 1, (M, 4 * M)) / np.sqrt(M)
    b = rng.uniform(-0.1, 0.1, 4 * M)
    order = [0, 3, 1, 2]  # Keras i, f, c, o -> ONNX i, o, f, c

    def onnx_rows(a):
        return np.concatenate([a[..., k * M:(k + 1) * M] for k in order], axis=-1)
    session = model("LSTM", onnx_rows(w).T[None], onnx_rows(u).T[None],
                    np.concatenate([onnx_rows(b), np.zeros(4 * M)])[None], 4)
    return session, lambda x: keras_lstm(x, w, u, b), 4


def gru(rng):
    w = rng.uniform(-1, 1, (D, 3 * M)) / np.sqrt(D)
    u = rng.uniform(-1, 1, (M, 3 * M)) / np.sqrt(M)
    b = rng.uniform(-0.1, 0.1, (2, 3 * M))
    session = model("GRU", w.T[None], u.T[None], np.concatenate([b[0], b[1]])[None], 3, linear_before_reset=1)
    return session, lambda x: keras_gru(x, w, u, b), 3


def main():
    rng = np.random.default_rng(17)
    for name, make in (("LSTM", lstm), ("GRU", gru)):
        session, reference, gates = make(rng)
        small = rng.uniform(-1, 1, (4, 7, D))
        got = session.run(None, {"x": small.transpose(1, 0, 2).astype(np.float32)})[0][0]
        error = float(np.max(np.abs(got - reference(small))))
        assert error < 1e-4, f"{name}: ONNX Runtime differs from Keras' equations by {error}"
        x = rng.uniform(-1, 1, (T, N, D)).astype(np.float32)
        session.run(None, {"x": x})
        times = []
        for _ in range(8):
            start = time.perf_counter()
            session.run(None, {"x": x})
            times.append(time.perf_counter() - start)
        flops = 2.0 * N * T * (D + M) * gates * M
        print(json.dumps({"operator": name, "onnxruntime": ort.__version__, "max_abs_error_vs_keras_equations": error,
                          "best_s": min(times), "median_s": statistics.median(times),
                          "gflops_best": flops / min(times) / 1e9}))


if __name__ == "__main__":
    main()
