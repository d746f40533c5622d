"""Writes the Keras fixtures for the loading tests (run from the project root):

    KERAS_BACKEND=tensorflow /work/venv/bin/python src/test/resources/keras/make_fixtures.py

Every model gets seeded uniform random weights and inputs, and is written three ways:
<name>.keras, <name>.h5 (legacy HDF5 via model.save) and <name>.weights.h5 + <name>.config.json
(model.to_json()). <name>.json holds the input and Keras' model.predict output as nested lists
(float64 text of the float32 values). Also: models to refuse, and initial-state fixtures
(initial_state_*.json).
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

OUT = os.path.dirname(os.path.abspath(__file__))
BATCH = 3


def seeded_weights(model, seed, scale=1.0):
    rng = np.random.default_rng(seed)
    model.set_weights([rng.uniform(-scale, scale, w.shape).astype("float32") for w in model.get_weights()])


def seeded_input(seed, steps, features, zero_steps=()):
    rng = np.random.default_rng(seed + 1000)
    x = rng.uniform(-2, 2, (BATCH, steps, features)).astype("float32")
    for n, t in zero_steps:
        x[n, t, :] = 0.0  # all-zero timesteps exercise Masking(0.0)
    return x


def save_all(name, model, x, description):
    model.save(os.path.join(OUT, name + ".keras"))
    model.save(os.path.join(OUT, name + ".h5"))
    model.save_weights(os.path.join(OUT, name + ".weights.h5"))
    with open(os.path.join(OUT, name + ".config.json"), "w") as f:
        f.write(model.to_json())
    y = model.predict(x, batch_size=BATCH, verbose=0)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"description": description, "keras_version": keras.__version__,
                   "backend": keras.backend.backend(), "input": x.tolist(), "expected": y.tolist()}, f)
    print(name, x.shape, "->", y.shape)


def sequential(name, input_shape, stack, batch_size=None):
    keras.backend.clear_session()
    return keras.Sequential([keras.Input(shape=input_shape, batch_size=batch_size)] + stack, name=name)


def functional(name, input_shape, stack, batch_size=None):
    keras.backend.clear_session()
    x = keras.Input(shape=input_shape, batch_size=batch_size, name="x")
    y = x
    for layer in stack:
        y = layer(y)
    return keras.Model(x, y, name=name)


def model_fixtures():
    cases = [
        ("rnn_tanh_dense", "Sequential: SimpleRNN(4) -> Dense(2)",
         lambda n: sequential(n, (5, 3), [layers.SimpleRNN(4), layers.Dense(2)]), (5, 3), ()),
        ("masking", "Functional: Masking(0.0) -> SimpleRNN(4) -> Dense(2), some all-zero timesteps",
         lambda n: functional(n, (6, 3), [layers.Masking(0.0), layers.SimpleRNN(4), layers.Dense(2)]),
         (6, 3), ((0, 1), (1, 5), (2, 0), (2, 3))),
        ("masking_value", "Sequential: Masking(0.5) -> SimpleRNN(3) -> Dense(1) (inputs set to 0.5 at masked steps)",
         lambda n: sequential(n, (5, 2), [layers.Masking(0.5), layers.SimpleRNN(3), layers.Dense(1)]), (5, 2),
         "half"),
        ("stacked", "Sequential: SimpleRNN(5, seq) -> SimpleRNN(4) -> Dense(3)",
         lambda n: sequential(n, (4, 3), [layers.SimpleRNN(5, return_sequences=True), layers.SimpleRNN(4),
                                          layers.Dense(3)]), (4, 3), ()),
        ("return_sequences", "Functional: SimpleRNN(4, seq) -> Dense(2) at every step",
         lambda n: functional(n, (5, 2), [layers.SimpleRNN(4, return_sequences=True), layers.Dense(2)]), (5, 2), ()),
        ("go_backwards", "Functional: SimpleRNN(4, go_backwards) -> Dense(2)",
         lambda n: functional(n, (5, 3), [layers.SimpleRNN(4, go_backwards=True), layers.Dense(2)]), (5, 3), ()),
        ("no_bias", "Sequential: SimpleRNN(4, use_bias=False) -> Dense(2, use_bias=False)",
         lambda n: sequential(n, (4, 3), [layers.SimpleRNN(4, use_bias=False), layers.Dense(2, use_bias=False)]),
         (4, 3), ()),
        ("dropout", "Sequential: SpatialDropout1D(0.3) -> SimpleRNN(4, dropout=0.2) -> Dropout(0.5) -> Dense(2)",
         lambda n: sequential(n, (5, 3), [layers.SpatialDropout1D(0.3), layers.SimpleRNN(4, dropout=0.2),
                                          layers.Dropout(0.5), layers.Dense(2)]), (5, 3), ()),
        ("stateful", "Functional, batch 3: SimpleRNN(4, stateful=True) -> Dense(2); predict from a fresh (zero) state",
         lambda n: functional(n, (5, 3), [layers.SimpleRNN(4, stateful=True), layers.Dense(2)], batch_size=BATCH),
         (5, 3), ()),
        ("none_time_axis", "Functional: Input(None, 3) -> SimpleRNN(4) -> Dense(2)",
         lambda n: functional(n, (None, 3), [layers.SimpleRNN(4), layers.Dense(2)]), (7, 3), ()),
        ("activation_layer", "Sequential: SimpleRNN(4, linear) -> Activation(relu) -> Dense(2)",
         lambda n: sequential(n, (5, 3), [layers.SimpleRNN(4, activation="linear"), layers.Activation("relu"),
                                          layers.Dense(2)]), (5, 3), ()),
        ("named_layers", "Functional with explicit layer names: encoder -> head",
         lambda n: functional(n, (4, 2), [layers.SimpleRNN(3, name="encoder"), layers.Dense(2, name="head")]),
         (4, 2), ()),
        ("combined", "Sequential: Masking -> SimpleRNN(5, seq, go_backwards) -> Dropout -> SimpleRNN(4, seq, relu, "
                     "no bias) -> SpatialDropout1D -> SimpleRNN(3, seq) -> Dense(4, selu) -> Dense(2, softmax)",
         lambda n: sequential(n, (6, 3), [layers.Masking(0.0),
                                          layers.SimpleRNN(5, return_sequences=True, go_backwards=True),
                                          layers.Dropout(0.2),
                                          layers.SimpleRNN(4, activation="relu", use_bias=False,
                                                           return_sequences=True),
                                          layers.SpatialDropout1D(0.1),
                                          layers.SimpleRNN(3, return_sequences=True),
                                          layers.Dense(4, activation="selu"), layers.Dense(2, activation="softmax")]),
         (6, 3), ((0, 2), (1, 4), (2, 1))),
    ]
    # each activation, once in the recurrent layer and once in the Dense (softmax only in the Dense)
    for rnn_act, dense_act in [("linear", "gelu"), ("relu", "selu"), ("sigmoid", "softmax"),
                               ("hard_sigmoid", "hard_sigmoid"), ("softplus", "softsign"), ("elu", "swish"),
                               ("silu", "exponential"), ("gelu", "tanh"), ("selu", "elu"), ("softsign", "relu")]:
        cases.append((f"act_{rnn_act}_{dense_act}", f"Sequential: SimpleRNN(4, {rnn_act}) -> Dense(2, {dense_act})",
                      lambda n, a=rnn_act, b=dense_act: sequential(
                          n, (4, 3), [layers.SimpleRNN(4, activation=a), layers.Dense(2, activation=b)]),
                      (4, 3), ()))
    for i, (name, description, build, shape, zeros) in enumerate(cases):
        model = build(name)
        scale = 0.5 if "exponential" in name or "selu" in name else 1.0
        seeded_weights(model, 100 + i, scale)
        if zeros == "half":
            x = seeded_input(100 + i, *shape)
            x[0, 1, :] = 0.5
            x[2, 3, :] = 0.5
        else:
            x = seeded_input(100 + i, *shape, zero_steps=zeros)
        save_all(name, model, x, description)


def refusal_fixtures():
    """Models the service must refuse: a convolution, a branching graph. (LSTM, GRU, Bidirectional and mish, refused
    here before issue #17, are served now: recurrent/make_recurrent_fixtures.py makes their fixtures.)"""
    sequential("conv1d", (6, 3), [layers.Conv1D(2, 3), layers.SimpleRNN(3), layers.Dense(1)]).save(
        os.path.join(OUT, "conv1d.keras"))
    keras.backend.clear_session()
    x = keras.Input((4, 3), name="x")
    merged = layers.Concatenate()([layers.SimpleRNN(3)(x), layers.SimpleRNN(2, go_backwards=True)(x)])
    keras.Model(x, layers.Dense(1)(merged), name="branching").save(os.path.join(OUT, "branching.keras"))
    print("refusal fixtures")


def split_attribute_fixture():
    """Keras splits a string attribute too large for an HDF5 object header into name0, name1, ...; this copy of
    stacked.h5 stores layer_names and weight_names that way, as fixed-length null-padded strings."""
    import shutil
    import h5py
    target = os.path.join(OUT, "stacked_split_attributes.h5")
    shutil.copyfile(os.path.join(OUT, "stacked.h5"), target)
    with h5py.File(target, "r+") as f:
        group = f["model_weights"]
        for node in [group] + [group[name] for name in group.attrs["layer_names"]]:
            for attr in ("layer_names", "weight_names"):
                if attr in node.attrs:
                    values = [v.encode() if isinstance(v, str) else v for v in node.attrs[attr]]
                    del node.attrs[attr]
                    for chunk in range(0, len(values), 2):
                        node.attrs[attr + str(chunk // 2)] = np.array(values[chunk:chunk + 2], dtype="S64")
    print("split attribute fixture")


def initial_state_fixtures():
    """For a later issue: Keras outputs with initial_state= given as extra model inputs."""
    rng = np.random.default_rng(7)
    steps, features = 5, 3

    # one layer: x, h0 -> SimpleRNN(4, return_state) -> Dense(2)
    keras.backend.clear_session()
    x = keras.Input((steps, features), name="x")
    h0 = keras.Input((4,), name="h0")
    rnn = layers.SimpleRNN(4, return_state=True, name="simple_rnn")
    dense = layers.Dense(2, name="dense")
    seq, h = rnn(x, initial_state=[h0])
    with_state = keras.Model([x, h0], [dense(seq), h])
    seeded_weights(with_state, 300)
    plain = plain_twin("initial_state_single", (steps, features), with_state)
    plain.save(os.path.join(OUT, "initial_state_single.keras"))
    xv = rng.uniform(-2, 2, (BATCH, steps, features)).astype("float32")
    hv = rng.uniform(-1, 1, (BATCH, 4)).astype("float32")
    y, hn = with_state.predict([xv, hv], verbose=0)
    y0 = plain.predict(xv, verbose=0)
    write_state_json("initial_state_single", xv, {"simple_rnn": hv}, y, {"simple_rnn": hn}, y0, with_state)

    # two stacked layers, each with its own initial state
    keras.backend.clear_session()
    x = keras.Input((steps, features), name="x")
    h0a = keras.Input((5,), name="h0_simple_rnn")
    h0b = keras.Input((4,), name="h0_simple_rnn_1")
    rnn_a = layers.SimpleRNN(5, return_sequences=True, return_state=True, name="simple_rnn")
    rnn_b = layers.SimpleRNN(4, return_state=True, name="simple_rnn_1")
    dense = layers.Dense(2, name="dense")
    seq_a, ha = rnn_a(x, initial_state=[h0a])
    out_b, hb = rnn_b(seq_a, initial_state=[h0b])
    with_state = keras.Model([x, h0a, h0b], [dense(out_b), ha, hb])
    seeded_weights(with_state, 301)
    plain = plain_twin("initial_state_stacked", (steps, features), with_state)
    plain.save(os.path.join(OUT, "initial_state_stacked.keras"))
    xv = rng.uniform(-2, 2, (BATCH, steps, features)).astype("float32")
    hav = rng.uniform(-1, 1, (BATCH, 5)).astype("float32")
    hbv = rng.uniform(-1, 1, (BATCH, 4)).astype("float32")
    y, ha_n, hb_n = with_state.predict([xv, hav, hbv], verbose=0)
    y0 = plain.predict(xv, verbose=0)
    write_state_json("initial_state_stacked", xv, {"simple_rnn": hav, "simple_rnn_1": hbv}, y,
                     {"simple_rnn": ha_n, "simple_rnn_1": hb_n}, y0, with_state)

    # Masking: the per-step hidden states (a twin layer with return_sequences and the same weights)
    keras.backend.clear_session()
    x = keras.Input((6, features), name="x")
    masking = layers.Masking(0.0, name="masking")
    rnn = layers.SimpleRNN(4, name="simple_rnn")
    dense = layers.Dense(2, name="dense")
    model = keras.Model(x, dense(rnn(masking(x))), name="masking_states")
    seeded_weights(model, 302)
    twin = layers.SimpleRNN(4, return_sequences=True, name="simple_rnn_states")
    states_model = keras.Model(x, twin(masking(x)))
    twin.set_weights(rnn.get_weights())
    model.save(os.path.join(OUT, "masking_states.keras"))
    xv = rng.uniform(-2, 2, (BATCH, 6, features)).astype("float32")
    for n, t in ((0, 0), (0, 3), (1, 5), (2, 2), (2, 3)):
        xv[n, t, :] = 0.0
    y = model.predict(xv, verbose=0)
    states = states_model.predict(xv, verbose=0)
    with open(os.path.join(OUT, "masking_states.json"), "w") as f:
        json.dump({"description": "Masking(0.0) -> SimpleRNN(4) -> Dense(2); states = SimpleRNN's output at every "
                                  "step (return_sequences twin, same weights; masked steps carry the state)",
                   "model_file": "masking_states.keras", "keras_version": keras.__version__,
                   "input": xv.tolist(), "expected": y.tolist(), "states": {"simple_rnn": states.tolist()}}, f)
    print("initial state fixtures")


def plain_twin(name, input_shape, with_state):
    """The same layers and weights without return_state or state inputs: the model file a server loads."""
    x = keras.Input(input_shape, name="x")
    y = x
    for layer in with_state.layers:
        if isinstance(layer, layers.InputLayer):
            continue
        config = layer.get_config()
        config.pop("return_state", None)
        twin = layer.__class__.from_config(config)
        y = twin(y)
        twin.set_weights(layer.get_weights())
    return keras.Model(x, y, name=name)


def write_state_json(name, x, h0, y, final, y_zero_state, model):
    weights = {layer.name: [w.tolist() for w in layer.get_weights()] for layer in model.layers if layer.get_weights()}
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"description": "Keras outputs with initial_state= given as extra model inputs; "
                                  "expected_zero_state = the same model from zero states",
                   "model_file": name + ".keras", "keras_version": keras.__version__,
                   "input": x.tolist(), "initial_states": {k: v.tolist() for k, v in h0.items()},
                   "expected": y.tolist(), "final_states": {k: v.tolist() for k, v in final.items()},
                   "expected_zero_state": y_zero_state.tolist(), "weights": weights}, f)


if __name__ == "__main__":
    import sys
    only = sys.argv[1:]  # e.g. "refusal split_attribute" rewrites only those fixtures
    steps = {"models": model_fixtures, "refusal": refusal_fixtures,
             "split_attribute": split_attribute_fixture, "initial_state": initial_state_fixtures}
    for step, run in steps.items():
        if not only or step in only:
            run()
