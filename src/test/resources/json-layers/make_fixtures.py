"""Keras 3 models of every layer kind rnn-serving's engine serves, written in its JSON model format by
scripts/keras_to_json.py, each with inputs and Keras' own outputs (and, for the first recurrent layer, its final
states from return_state=True). Keras computes in float64 here (keras.config.set_floatx), so the engine can be held
to 1e-9. Samples of different lengths are each run alone at their own length, as the service answers them.

    KERAS_BACKEND=tensorflow python make_fixtures.py      # writes <name>.model.json and <name>.expected.json
"""
import json
import os
import sys

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402
from keras import layers  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "scripts"))
from keras_to_json import to_rnn_serving_json  # noqa: E402

keras.config.set_floatx("float64")
rng = np.random.default_rng(17)
HERE = os.path.dirname(os.path.abspath(__file__))


def randomise(model):
    for layer in model.layers:
        weights = layer.get_weights()
        if not weights:
            continue
        if type(layer).__name__ == "BatchNormalization":
            gamma, beta, mean, variance = weights
            layer.set_weights([rng.normal(1, 0.2, gamma.shape), rng.normal(0, 0.2, beta.shape),
                               rng.normal(0, 0.3, mean.shape), rng.uniform(0.5, 1.5, variance.shape)])
        else:
            layer.set_weights([rng.normal(0, 0.4, w.shape) for w in weights])


def state_model(model, index, inputs):
    """The model up to its recurrent layer `index`, rebuilt with return_state=True and the same weights."""
    layer = model.layers[index]
    if type(layer).__name__ == "Bidirectional":
        config = layer.forward_layer.get_config()
        config["return_state"] = True
        clone = layers.Bidirectional(type(layer.forward_layer).from_config(config), merge_mode=layer.merge_mode)
    else:
        config = layer.get_config()
        config["return_state"] = True
        clone = type(layer).from_config(config)
    x = inputs
    for before in model.layers[1:index]:
        x = before(x)
    outputs = clone(x)
    clone.set_weights(layer.get_weights())
    return keras.Model(inputs, outputs[1:])


def write(name, model, inputs, samples, state_index=None, ids=False):
    randomise(model)
    outputs, states = [], []
    for sample in samples:
        x = np.array([sample], dtype="int64" if ids else "float64")
        outputs.append(np.asarray(model(x))[0].tolist())
        if state_index is not None:
            states.append([np.asarray(s)[0].tolist() for s in state_model(model, state_index, inputs)(x)])
    expected = {"x": samples, "output": outputs}
    if state_index is not None:
        expected["stateLayer"] = model.layers[state_index].name
        expected["states"] = states  # per sample: Keras' return_state order (h, c; forward then backward)
    with open(os.path.join(HERE, name + ".model.json"), "w") as f:
        json.dump(to_rnn_serving_json(model), f)
    with open(os.path.join(HERE, name + ".expected.json"), "w") as f:
        json.dump(expected, f)


def sequences(lengths, features, masked_steps=()):
    out = []
    for n, length in enumerate(lengths):
        sample = rng.normal(0, 1, (length, features))
        for (m, t) in masked_steps:
            if m == n:
                sample[t] = 0.0
        out.append(sample.tolist())
    return out


def functional(shape, body, dtype="float64"):
    inputs = keras.Input(shape=shape, dtype=dtype)
    x = inputs
    for layer in body:
        x = layer(x)
    return keras.Model(inputs, x), inputs


m, i = functional((None, 3), [layers.Masking(0.0), layers.LSTM(4, return_sequences=True),
                              layers.LSTM(3, recurrent_activation="hard_sigmoid", go_backwards=True),
                              layers.Dense(2, activation="softmax")])
write("lstm_stack", m, i, sequences([5, 3, 1], 3, [(0, 2)]), state_index=2)

m, i = functional((None, 3), [layers.GRU(5, return_sequences=True),
                              layers.TimeDistributed(layers.Dense(2, activation="mish"))])
write("gru_reset_after", m, i, sequences([4, 2], 3), state_index=1)

m, i = functional((None, 2), [layers.GRU(4, reset_after=False, activation="softsign"), layers.Dense(1)])
write("gru_reset_before", m, i, sequences([6, 3], 2), state_index=1)

m, i = functional((None, 3), [layers.Masking(0.0), layers.Bidirectional(layers.LSTM(3, return_sequences=True)),
                              layers.GlobalAveragePooling1D(), layers.Dense(2)])
write("bidirectional_lstm_concat", m, i, sequences([5, 2, 4], 3, [(0, 1), (2, 3)]), state_index=2)

m, i = functional((None, 2), [layers.Bidirectional(layers.SimpleRNN(3, return_sequences=True), merge_mode="mul"),
                              layers.Bidirectional(layers.GRU(2), merge_mode="ave"),
                              # not leaky_relu: TensorFlow holds its 0.2 as a float32 attribute, 3e-9 off in float64
                              layers.Dense(1, activation="squareplus")])
write("bidirectional_rnn_gru", m, i, sequences([4, 1, 3], 2), state_index=2)

m, i = functional((None,), [layers.Embedding(10, 4, mask_zero=True),
                            layers.Bidirectional(layers.GRU(3, return_sequences=True), merge_mode="sum"),
                            layers.LSTM(2), layers.Dense(1, activation="sigmoid")], dtype="int64")
write("text_embedding", m, i, [[3, 7, 0, 2, 9], [1, 4], [5, 0, 0, 8]], state_index=3, ids=True)

m, i = functional((5, 2), [layers.LSTM(3, return_sequences=True, activation="relu6",
                                       recurrent_activation="sparse_sigmoid"),
                           layers.LayerNormalization(), layers.BatchNormalization(), layers.Flatten(),
                           layers.Dense(2, activation="hard_silu")])
write("normalisation_flatten", m, i, sequences([5, 5], 2), state_index=1)

m, i = functional((None, 3), [layers.SimpleRNN(4, activation="softmax", return_sequences=True),
                              layers.GlobalMaxPooling1D(), layers.Dense(3, activation="log_softmax")])
write("softmax_rnn_max_pool", m, i, sequences([3, 6], 3), state_index=1)

print("keras", keras.__version__, "backend", keras.backend.backend())
