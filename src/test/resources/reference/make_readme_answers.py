"""The answers the README's curl examples show, as a float32 model gives them: Keras' own float32 predict.

Run: KERAS_BACKEND=tensorflow python src/test/resources/reference/make_readme_answers.py
Prints, for each README example, the answer JSON with every number as numpy writes a float32 (the shortest text
that reads back as the same float32, as the service writes a float32 model's answer).
"""
import json
import os

import numpy as np
import keras

HERE = os.path.dirname(os.path.abspath(__file__))
RECURRENT = os.path.join(HERE, "..", "keras", "recurrent")
NOTEBOOK = os.path.join(HERE, "..", "..", "..", "main", "resources", "models", "notebook-simple-rnn.json")


def text(values):
    """Nested float32 values as JSON, each number the shortest text of its float32 (numpy's repr digits)."""
    if isinstance(values, np.ndarray) and values.ndim > 0:
        return "[" + ",".join(text(v) for v in values) + "]"
    return str(np.float32(values))


def notebook():
    spec = json.load(open(NOTEBOOK))
    rnn, dense = spec["layers"]
    model = keras.Sequential([keras.Input((10, 3)), keras.layers.SimpleRNN(5), keras.layers.Dense(2)])
    model.set_weights([np.array(a, dtype=np.float32) for a in
                       (rnn["kernel"], rnn["recurrentKernel"], rnn["bias"], dense["kernel"], dense["bias"])])
    x = np.round(np.arange(1, 31).reshape(1, 10, 3) * 0.1, 1).astype(np.float32)
    print("notebook:", '{"yhat":' + text(model.predict(x, verbose=0)) + "}")
    # the README's hot swap: version 2 is the same model with the Dense bias 1.0 higher in the first output
    model.layers[-1].bias.assign(np.array([1.1, -0.1], dtype=np.float32))
    print("notebook version 2:", '{"yhat":' + text(model.predict(x, verbose=0)) + "}")


def embedding_lstm():
    model = keras.saving.load_model(os.path.join(RECURRENT, "embedding_lstm.keras"))
    # a ragged batch answers what each sample gives alone
    answers = [model.predict(np.array([sample], dtype=np.int32), verbose=0)[0] for sample in
               ([5, 2, 9, 6, 8], [10, 1, 4])]
    print("embedding_lstm:", '{"yhat":' + text(np.array(answers)) + "}")


def lstm():
    model = keras.saving.load_model(os.path.join(RECURRENT, "lstm.keras"))
    lstm_layer, dense = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    inputs = keras.Input((None, 3))
    stateful = keras.layers.LSTM(lstm_layer.units, return_state=True)
    h_c = keras.Input((lstm_layer.units,)), keras.Input((lstm_layer.units,))
    out, h, c = stateful(inputs, initial_state=list(h_c))
    steps = keras.Model([inputs, *h_c], [dense(out), h, c])
    stateful.set_weights(lstm_layer.get_weights())
    zeros = np.zeros((1, lstm_layer.units), dtype=np.float32)
    first = np.array([[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]], dtype=np.float32)
    yhat, h, c = steps.predict([first, zeros, zeros], verbose=0)
    print("lstm first:", '{"yhat":' + text(yhat) + ',"state":{"h":' + text(h) + ',"c":' + text(c) + "}}")
    print("lstm h0:", '{"h": ' + text(h) + ', "c": ' + text(c) + "}")
    second = np.array([[[0.7, 0.8, 0.9], [1.0, 1.1, 1.2], [1.3, 1.4, 1.5]]], dtype=np.float32)
    # the service reads the h0 text back: the float32 state, exactly
    yhat, _, _ = steps.predict([second, h, c], verbose=0)
    print("lstm second:", '{"yhat":' + text(yhat) + "}")
    whole = np.concatenate([first, second], axis=1)
    print("lstm whole:", text(model.predict(whole, verbose=0)))


notebook()
embedding_lstm()
lstm()
