"""Writes the Keras fixtures of issue #17 (run from the project root):

    KERAS_BACKEND=tensorflow /work/venv/bin/python src/test/resources/keras/recurrent/make_recurrent_fixtures.py [name ...]

LSTM, GRU (reset_after True and False), Bidirectional (concat/sum/mul/ave, with and without return_sequences, over
SimpleRNN/LSTM/GRU), Embedding (mask_zero True and False), TimeDistributed(Dense), GlobalAveragePooling1D,
GlobalMaxPooling1D, BatchNormalization, LayerNormalization, Flatten and the activations Keras 3 accepts by name.

Every model gets seeded uniform random weights (BatchNormalization's moving variance kept positive) and is written
three ways into this folder: <name>.keras, <name>.h5 (legacy HDF5 via model.save) and <name>.weights.h5 +
<name>.config.json (model.to_json()). <name>.json holds, all computed by Keras (float64 text of float32 values):

  input, expected      a batch of 3 and model.predict() on it
  parameters           each weighted layer's count_params(), as model.summary() prints it
  traces               for every recurrent layer, its state after every step in the order the layer takes the
                       steps (reversed for go_backwards): {"h": N×T×M} and for an LSTM also {"c": N×T×M}; for a
                       Bidirectional layer {"forward": {...}, "backward": {...}}. Each entry is the return_state of
                       a copy of the layer (same weights, return_state=True) run by Keras on the steps so far, with
                       the mask Keras gives that layer (Masking or Embedding(mask_zero=True) before it).
  final_states         the same after the last step, N×M
  ragged               (models with a None time axis) a batch of lengths 5, 3, 1: "x" the sequences, "padded" them
                       post-padded with zeros; "expected", "traces" and "final_states" are Keras' answers for each
                       sample alone (so no padding can leak in); "expected_masked" is model.predict(padded), which
                       equals "expected" when the model masks the zero padding (Masking(0.0) or mask_zero) and
                       reads it otherwise.
  streaming            (models whose layers all read the time axis forwards) the batch split after "split" steps:
                       a copy of the model with initial_state inputs and return_state outputs runs the first chunk
                       from zero states ("first": its output and every recurrent layer's states after it), then the
                       second chunk from those states ("second"); "second" equals the whole sequence's answer.

Also refusal fixtures (refused_*.keras) for layers the service still does not serve.
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

OUT = os.path.dirname(os.path.abspath(__file__))
BATCH = 3
STEPS = 5
RAGGED_LENGTHS = [5, 3, 1]
VOCABULARY = 12
RECURRENT = (layers.SimpleRNN, layers.LSTM, layers.GRU)


def seeded_weights(model, seed, scale=1.0):
    rng = np.random.default_rng(seed)
    model.set_weights([rng.uniform(-scale, scale, w.shape).astype("float32") for w in model.get_weights()])
    for layer in model.layers:
        if isinstance(layer, layers.BatchNormalization):
            # moving variance must stay positive; gamma, beta and the moving mean stay random
            weights = layer.get_weights()
            weights[-1] = rng.uniform(0.5, 2.0, weights[-1].shape).astype("float32")
            layer.set_weights(weights)


def sequential(name, input_shape, stack, batch_size=None, dtype="float32"):
    keras.backend.clear_session()
    return keras.Sequential([keras.Input(shape=input_shape, batch_size=batch_size, dtype=dtype)] + stack, name=name)


def functional(name, input_shape, stack, dtype="float32", batch_size=None):
    keras.backend.clear_session()
    x = keras.Input(shape=input_shape, name="x", dtype=dtype, batch_size=batch_size)
    y = x
    for layer in stack:
        y = layer(y)
    return keras.Model(x, y, name=name)


def tolist(value):
    return np.asarray(value).astype(np.float64).tolist()


def model_layers(model):
    return [layer for layer in model.layers if not isinstance(layer, layers.InputLayer)]


# ---------------------------------------------------------------- what Keras computes, layer by layer

def input_mask(model, x):
    """The mask Keras propagates from the model's first layer (Masking or Embedding(mask_zero=True)), or None."""
    first = model_layers(model)[0]
    if isinstance(first, layers.Masking):
        return np.any(x != first.mask_value, axis=-1)
    if isinstance(first, layers.Embedding) and first.mask_zero:
        return x != 0
    return None


def layer_input_and_mask(model, layer, x):
    """The sequence a layer of the chain reads and the mask Keras hands it (None once a layer dropped the time axis
    or when nothing masks)."""
    values = keras.Model(model.inputs, layer.input)(x)
    if isinstance(values, (list, tuple)):
        # Keras 3 lists a mask passed on by the layer before as a second input of the call
        values = values[0]
    mask = input_mask(model, x)
    for earlier in model_layers(model):
        if earlier is layer:
            break
        if isinstance(earlier, RECURRENT + (layers.Bidirectional,)) and not earlier.return_sequences:
            mask = None
        elif isinstance(earlier, (layers.GlobalAveragePooling1D, layers.GlobalMaxPooling1D, layers.Flatten)):
            mask = None
    keras_mask = getattr(values, "_keras_mask", None)
    if keras_mask is not None:
        assert mask is not None and np.array_equal(np.asarray(keras_mask), mask), layer.name
    return np.asarray(values), mask


def probe(layer):
    """A copy of a recurrent layer with the same weights that returns its final states."""
    config = layer.get_config()
    config.update(return_sequences=False, return_state=True, stateful=False, name=layer.name + "_probe")
    copy = type(layer).from_config(config)
    return copy


def trace_layer(layer, values, mask):
    """The layer's states after every step it takes (in the order it takes them), each by Keras on the steps so far."""
    copy = probe(layer)
    steps = values.shape[1]
    names = ["h", "c"] if isinstance(layer, layers.LSTM) else ["h"]
    traces = {name: np.zeros((values.shape[0], steps, layer.units), dtype=np.float32) for name in names}
    for taken in range(1, steps + 1):
        window = slice(steps - taken, steps) if layer.go_backwards else slice(0, taken)
        part_mask = None if mask is None else mask[:, window]
        out = copy(values[:, window], mask=part_mask)
        if taken == 1:
            copy.set_weights(layer.get_weights())
            out = copy(values[:, window], mask=part_mask)
        for name, state in zip(names, out[1:]):
            traces[name][:, taken - 1] = np.asarray(state)
    return traces


def traces_of(model, x):
    """Every recurrent layer's per-step states and final states, by layer name."""
    traces, finals = {}, {}
    for layer in model_layers(model):
        if not isinstance(layer, RECURRENT + (layers.Bidirectional,)):
            continue
        values, mask = layer_input_and_mask(model, layer, x)
        if isinstance(layer, layers.Bidirectional):
            both = {"forward": trace_layer(layer.forward_layer, values, mask),
                    "backward": trace_layer(layer.backward_layer, values, mask)}
            traces[layer.name] = {d: {k: tolist(v) for k, v in t.items()} for d, t in both.items()}
            finals[layer.name] = {d: {k: tolist(v[:, -1]) for k, v in t.items()} for d, t in both.items()}
        else:
            trace = trace_layer(layer, values, mask)
            traces[layer.name] = {k: tolist(v) for k, v in trace.items()}
            finals[layer.name] = {k: tolist(v[:, -1]) for k, v in trace.items()}
            if layer.return_sequences and not layer.go_backwards:
                # the layer's own output sequence is its h at every step: a check of the probing above
                seq = keras.Model(model.inputs, layer.output)(x)
                assert np.allclose(np.asarray(seq), trace["h"], atol=1e-6), layer.name
    return traces, finals


def ragged_of(model, padded, lengths):
    alone = [padded[n:n + 1, :length] for n, length in enumerate(lengths)]
    expected, traces, finals = [], [], []
    for sample in alone:
        # called, not predict(): Keras 3.15's predict() reuses a traced function whose TimeDistributed keeps the time
        # axis of an earlier batch, answering 1 step for a 3-step sample
        expected.append(tolist(model(sample, training=False)[0]))
        t, f = traces_of(model, sample)
        traces.append(t)
        finals.append(f)
    return {"lengths": lengths, "x": [tolist(s[0]) for s in alone], "padded": tolist(padded),
            "expected": expected, "traces": traces, "final_states": finals,
            "expected_masked": tolist(model.predict(padded, verbose=0))}


def streaming_of(model, x, split):
    """The model chunk by chunk through a copy with initial_state inputs and return_state outputs."""
    inputs = keras.Input(batch_shape=(None, None) + tuple(model.inputs[0].shape[2:]), dtype=model.inputs[0].dtype)
    y = inputs
    # Keras does not pass the mask on to a layer called with initial_state in a functional model: pass it explicitly
    first = model_layers(model)[0]
    mask = None
    if isinstance(first, layers.Embedding) and first.mask_zero:
        mask = keras.ops.not_equal(inputs, 0)
    elif isinstance(first, layers.Masking):
        mask = keras.ops.any(keras.ops.not_equal(inputs, first.mask_value), axis=-1)
    state_inputs, state_outputs, state_names, copies = [], [], [], []
    for layer in model_layers(model):
        if isinstance(layer, RECURRENT):
            config = layer.get_config()
            config.update(return_state=True, stateful=False)
            copy = type(layer).from_config(config)
            names = ["h", "c"] if isinstance(layer, layers.LSTM) else ["h"]
            given = [keras.Input((layer.units,)) for _ in names]
            out = copy(y, initial_state=given, mask=mask)
            if not layer.return_sequences:
                mask = None
            copies.append((copy, layer))
            y = out[0]
            state_inputs += given
            state_outputs += out[1:]
            state_names += [(layer.name, name) for name in names]
        else:
            y = layer(y)
    chunked = keras.Model([inputs] + state_inputs, [y] + state_outputs)
    for copy, layer in copies:
        copy.set_weights(layer.get_weights())

    def run(part, states):
        out = chunked.predict([part] + states, verbose=0)
        return out[0], out[1:]

    def by_layer(states):
        named = {}
        for (layer_name, name), value in zip(state_names, states):
            named.setdefault(layer_name, {})[name] = tolist(value)
        return named

    zeros = [np.zeros((x.shape[0], inp.shape[-1]), dtype=np.float32) for inp in state_inputs]
    y1, s1 = run(x[:, :split], zeros)
    y2, s2 = run(x[:, split:], s1)
    reset_stateful(model)
    whole = model.predict(x, verbose=0)
    joined = np.concatenate([y1, y2], axis=1) if whole.ndim == 3 else y2
    assert np.abs(joined - whole).max() < 1e-5, "chunked answers differ from the whole sequence"
    return {"split": split, "first": {"expected": tolist(y1), "states": by_layer(s1)},
            "second": {"expected": tolist(y2), "states": by_layer(s2)}}


def reset_stateful(model):
    """A stateful layer keeps its state from one predict() to the next: every answer here starts from zeros."""
    for layer in model_layers(model):
        if getattr(layer, "stateful", False):
            layer.reset_states()


def save_all(name, model, description, x, ragged=None, streaming=True):
    model.save(os.path.join(OUT, name + ".keras"))
    model.save(os.path.join(OUT, name + ".h5"))
    model.save_weights(os.path.join(OUT, name + ".weights.h5"))
    with open(os.path.join(OUT, name + ".config.json"), "w") as f:
        f.write(model.to_json())
    reset_stateful(model)
    y = model.predict(x, batch_size=BATCH, verbose=0)
    traces, finals = traces_of(model, x)
    fixture = {"description": description, "keras_version": keras.__version__, "backend": keras.backend.backend(),
               "input": x.tolist(), "expected": tolist(y),
               "parameters": {layer.name: layer.count_params() for layer in model_layers(model)
                              if layer.count_params()},
               "traces": traces, "final_states": finals}
    if ragged is not None:
        fixture["ragged"] = ragged_of(model, ragged, RAGGED_LENGTHS)
    if streaming:
        fixture["streaming"] = streaming_of(model, x, 2)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(fixture, f)
    print(name, x.shape, "->", y.shape)


# ---------------------------------------------------------------- inputs

def floats(seed, steps=STEPS, features=3, zero_steps=()):
    rng = np.random.default_rng(seed + 1000)
    x = rng.uniform(-2, 2, (BATCH, steps, features)).astype("float32")
    for n, t in zero_steps:
        x[n, t, :] = 0.0  # all-zero timesteps exercise Masking(0.0)
    return x


def ragged_floats(seed, features=3):
    rng = np.random.default_rng(seed + 2000)
    padded = np.zeros((BATCH, max(RAGGED_LENGTHS), features), dtype=np.float32)
    for n, length in enumerate(RAGGED_LENGTHS):
        padded[n, :length] = rng.uniform(-2, 2, (length, features))
    return padded


def ids(seed, steps=STEPS, zero_steps=()):
    rng = np.random.default_rng(seed + 1000)
    x = rng.integers(1, VOCABULARY, (BATCH, steps)).astype("int32")
    for n, t in zero_steps:
        x[n, t] = 0  # id 0: masked by mask_zero=True, an ordinary token otherwise
    return x


def ragged_ids(seed):
    rng = np.random.default_rng(seed + 2000)
    padded = np.zeros((BATCH, max(RAGGED_LENGTHS)), dtype=np.int32)
    for n, length in enumerate(RAGGED_LENGTHS):
        padded[n, :length] = rng.integers(1, VOCABULARY, length)
    return padded


# ---------------------------------------------------------------- the models

def cases():
    """(name, description, build(name), input(seed), ragged input(seed) or None, streams)"""
    f, rf = floats, ragged_floats
    none3 = (None, 3)
    listed = [
        ("lstm", "Sequential: Input(5, 3) -> LSTM(4) -> Dense(2)",
         lambda n: sequential(n, (STEPS, 3), [layers.LSTM(4), layers.Dense(2)]), f, None, True),
        ("lstm_stacked", "Functional: Input(None, 3) -> LSTM(5, seq) -> LSTM(3, go_backwards) -> Dense(2)",
         lambda n: functional(n, none3, [layers.LSTM(5, return_sequences=True), layers.LSTM(3, go_backwards=True),
                                         layers.Dense(2)]), f, rf, False),
        ("lstm_options", "Sequential: LSTM(4, relu, recurrent hard_sigmoid, no bias, seq) -> TimeDistributed(Dense(2))",
         lambda n: sequential(n, none3, [layers.LSTM(4, activation="relu", recurrent_activation="hard_sigmoid",
                                                     use_bias=False, return_sequences=True),
                                         layers.TimeDistributed(layers.Dense(2))]), f, rf, True),
        ("lstm_softmax", "Sequential: LSTM(3, softmax, recurrent sigmoid, unit_forget_bias=False) -> Dense(2, tanh)",
         lambda n: sequential(n, none3, [layers.LSTM(3, activation="softmax", unit_forget_bias=False),
                                         layers.Dense(2, activation="tanh")]), f, None, True),
        ("lstm_masked_backwards", "Functional: Masking(0.0) -> LSTM(4, go_backwards, seq) -> Dense(2) at every step; "
                                  "some all-zero timesteps",
         lambda n: functional(n, none3, [layers.Masking(0.0), layers.LSTM(4, go_backwards=True, return_sequences=True),
                                         layers.Dense(2)]),
         lambda s: floats(s, zero_steps=((0, 0), (1, 2), (2, 4))), rf, False),
        ("lstm_stateful", "Functional, batch 3: LSTM(4, stateful=True) -> Dense(2); predict from a fresh (zero) state",
         lambda n: functional(n, (STEPS, 3), [layers.LSTM(4, stateful=True), layers.Dense(2)], batch_size=BATCH),
         f, None, True),
        ("gru", "Sequential: Input(None, 3) -> GRU(4) (reset_after=True) -> Dense(2)",
         lambda n: sequential(n, none3, [layers.GRU(4), layers.Dense(2)]), f, rf, True),
        ("gru_reset_before", "Functional: GRU(4, reset_after=False, seq) -> GRU(3, reset_after=False, go_backwards, "
                             "recurrent hard_sigmoid) -> Dense(2)",
         lambda n: functional(n, none3, [layers.GRU(4, reset_after=False, return_sequences=True),
                                         layers.GRU(3, reset_after=False, go_backwards=True,
                                                    recurrent_activation="hard_sigmoid"),
                                         layers.Dense(2)]), f, rf, False),
        ("gru_no_bias", "Sequential: GRU(4, elu, no bias, seq) -> GRU(3, reset_after=False, no bias) -> Dense(2)",
         lambda n: sequential(n, none3, [layers.GRU(4, activation="elu", use_bias=False, return_sequences=True),
                                         layers.GRU(3, reset_after=False, use_bias=False), layers.Dense(2)]),
         f, None, True),
        ("bidi_simple_concat", "Sequential: Bidirectional(SimpleRNN(3), concat) -> Dense(2)",
         lambda n: sequential(n, none3, [layers.Bidirectional(layers.SimpleRNN(3)), layers.Dense(2)]), f, rf, False),
        ("bidi_lstm_sum_seq", "Functional: Bidirectional(LSTM(3, seq), sum) -> Dense(2) at every step",
         lambda n: functional(n, none3, [layers.Bidirectional(layers.LSTM(3, return_sequences=True),
                                                              merge_mode="sum"), layers.Dense(2)]), f, rf, False),
        ("bidi_gru_mul", "Sequential: Bidirectional(GRU(3), mul) -> Dense(2)",
         lambda n: sequential(n, none3, [layers.Bidirectional(layers.GRU(3), merge_mode="mul"), layers.Dense(2)]),
         f, rf, False),
        ("bidi_gru_ave_seq", "Sequential: Bidirectional(GRU(3, reset_after=False, seq), ave) -> "
                             "GlobalAveragePooling1D -> Dense(2)",
         lambda n: sequential(n, none3, [layers.Bidirectional(layers.GRU(3, reset_after=False, return_sequences=True),
                                                              merge_mode="ave"),
                                         layers.GlobalAveragePooling1D(), layers.Dense(2)]), f, rf, False),
        ("bidi_masked", "Functional: Masking(0.0) -> Bidirectional(LSTM(3, seq), concat) -> "
                        "Bidirectional(SimpleRNN(2), sum) -> Dense(2); some all-zero timesteps",
         lambda n: functional(n, none3, [layers.Masking(0.0),
                                         layers.Bidirectional(layers.LSTM(3, return_sequences=True)),
                                         layers.Bidirectional(layers.SimpleRNN(2), merge_mode="sum"),
                                         layers.Dense(2)]),
         lambda s: floats(s, zero_steps=((0, 1), (1, 4), (2, 0), (2, 2))), rf, False),
        ("bidi_masked_seq", "Sequential: Masking(0.0) -> Bidirectional(GRU(3, seq), concat) -> Dense(2) at every step; "
                            "masked steps answer zeros as Keras' Bidirectional does",
         lambda n: sequential(n, none3, [layers.Masking(0.0),
                                         layers.Bidirectional(layers.GRU(3, return_sequences=True)),
                                         layers.Dense(2)]),
         lambda s: floats(s, zero_steps=((0, 3), (2, 1))), rf, False),
        ("embedding_lstm", "Sequential: Embedding(12, 4) -> LSTM(4) -> Dense(1, sigmoid): token ids in",
         lambda n: sequential(n, (None,), [layers.Embedding(VOCABULARY, 4), layers.LSTM(4),
                                           layers.Dense(1, activation="sigmoid")], dtype="int32"),
         lambda s: ids(s, zero_steps=((1, 2),)), ragged_ids, True),
        ("embedding_mask_zero", "Sequential: Embedding(12, 3, mask_zero) -> GRU(4, seq) -> GlobalAveragePooling1D -> "
                                "Dense(3, softmax); id 0 masks",
         lambda n: sequential(n, (None,), [layers.Embedding(VOCABULARY, 3, mask_zero=True),
                                           layers.GRU(4, return_sequences=True), layers.GlobalAveragePooling1D(),
                                           layers.Dense(3, activation="softmax")], dtype="int32"),
         lambda s: ids(s, zero_steps=((0, 4), (1, 1), (1, 4), (2, 0))), ragged_ids, False),
        ("embedding_mask_bidi", "Functional: Embedding(12, 3, mask_zero) -> Bidirectional(LSTM(3), concat) -> Dense(2)",
         lambda n: functional(n, (None,), [layers.Embedding(VOCABULARY, 3, mask_zero=True),
                                           layers.Bidirectional(layers.LSTM(3)), layers.Dense(2)], dtype="int32"),
         lambda s: ids(s, zero_steps=((0, 3), (0, 4), (2, 1))), ragged_ids, False),
        ("embedding_mask_stream", "Sequential: Embedding(12, 3, mask_zero) -> LSTM(4, seq) -> Dense(2) at every step",
         lambda n: sequential(n, (None,), [layers.Embedding(VOCABULARY, 3, mask_zero=True),
                                           layers.LSTM(4, return_sequences=True), layers.Dense(2)], dtype="int32"),
         lambda s: ids(s, zero_steps=((1, 1),)), ragged_ids, True),
        ("pooling_max_masked", "Functional: Masking(0.0) -> LSTM(4, seq) -> GlobalMaxPooling1D -> Dense(2)",
         lambda n: functional(n, none3, [layers.Masking(0.0), layers.LSTM(4, return_sequences=True),
                                         layers.GlobalMaxPooling1D(), layers.Dense(2)]),
         lambda s: floats(s, zero_steps=((0, 2), (1, 0), (1, 4))), rf, False),
        ("pooling_average", "Sequential: SimpleRNN(4, seq) -> GlobalAveragePooling1D -> Dense(2)",
         lambda n: sequential(n, none3, [layers.SimpleRNN(4, return_sequences=True), layers.GlobalAveragePooling1D(),
                                         layers.Dense(2)]), f, rf, False),
        ("batch_norm", "Sequential: SimpleRNN(4, seq) -> BatchNormalization -> LSTM(3) -> BatchNormalization -> "
                       "Dense(2)",
         lambda n: sequential(n, none3, [layers.SimpleRNN(4, return_sequences=True), layers.BatchNormalization(),
                                         layers.LSTM(3), layers.BatchNormalization(), layers.Dense(2)]), f, rf, True),
        ("layer_norm", "Functional: LSTM(4, seq) -> LayerNormalization -> GRU(3) -> LayerNormalization -> Dense(2)",
         lambda n: functional(n, none3, [layers.LSTM(4, return_sequences=True), layers.LayerNormalization(),
                                         layers.GRU(3), layers.LayerNormalization(), layers.Dense(2)]), f, rf, True),
        ("flatten", "Sequential: Input(5, 3) -> GRU(3, seq) -> Flatten -> Dense(2)",
         lambda n: sequential(n, (STEPS, 3), [layers.GRU(3, return_sequences=True), layers.Flatten(),
                                              layers.Dense(2)]), f, None, False),
        ("time_distributed", "Sequential: SimpleRNN(4, seq) -> TimeDistributed(Dense(3, softmax)) -> "
                             "TimeDistributed(Dense(2))",
         lambda n: sequential(n, none3, [layers.SimpleRNN(4, return_sequences=True),
                                         layers.TimeDistributed(layers.Dense(3, activation="softmax")),
                                         layers.TimeDistributed(layers.Dense(2))]), f, rf, True),
    ]
    # each activation Keras 3 accepts by name that the service did not serve before, once in a recurrent layer and
    # once in a Dense (glu halves its input, so only in a Dense)
    for rnn_act, dense_act in [("leaky_relu", "relu6"), ("relu6", "leaky_relu"), ("mish", "log_softmax"),
                               ("hard_silu", "celu"), ("celu", "hard_swish"), ("softmax", "mish"),
                               ("squareplus", "sparse_plus"), ("soft_shrink", "hard_shrink"),
                               ("tanh_shrink", "hard_tanh"), ("log_sigmoid", "sparse_sigmoid"),
                               ("hard_tanh", "sparsemax"), ("sparse_plus", "glu"), ("sparsemax", "squareplus"),
                               ("log_softmax", "log_sigmoid"), ("hard_shrink", "soft_shrink"),
                               ("sparse_sigmoid", "tanh_shrink")]:
        listed.append((f"act_{rnn_act}_{dense_act}", f"Sequential: SimpleRNN(4, {rnn_act}) -> Dense(4, {dense_act})",
                       lambda n, a=rnn_act, b=dense_act: sequential(
                           n, (4, 3), [layers.SimpleRNN(4, activation=a), layers.Dense(4, activation=b)]),
                       lambda s: floats(s, steps=4), None, False))
    for cls, act, rec in [("LSTM", "mish", "hard_silu"), ("GRU", "leaky_relu", "hard_sigmoid"),
                          ("LSTM", "sparsemax", "sparse_sigmoid"), ("GRU", "softmax", "log_sigmoid")]:
        listed.append((f"act_{cls.lower()}_{act}_{rec}", f"Sequential: {cls}(3, {act}, recurrent {rec}) -> Dense(2)",
                       lambda n, c=cls, a=act, r=rec: sequential(
                           n, (4, 3), [getattr(layers, c)(3, activation=a, recurrent_activation=r), layers.Dense(2)]),
                       lambda s: floats(s, steps=4), None, False))
    return listed


def model_fixtures(only):
    for i, (name, description, build, make_input, make_ragged, streams) in enumerate(cases()):
        if only and name not in only:
            continue
        model = build(name)
        seeded_weights(model, 500 + i)
        save_all(name, model, description, make_input(500 + i),
                 ragged=None if make_ragged is None else make_ragged(500 + i), streaming=streams)


def refusal_fixtures():
    """Models the service still refuses: a convolution, attention (two inputs), a recurrent layer's state output."""
    sequential("refused_conv1d_text", (None,), [layers.Embedding(VOCABULARY, 4), layers.Conv1D(2, 3),
                                                layers.LSTM(3), layers.Dense(1)], dtype="int32").save(
        os.path.join(OUT, "refused_conv1d_text.keras"))
    keras.backend.clear_session()
    x = keras.Input((None, 3), name="x")
    seq = layers.LSTM(4, return_sequences=True)(x)
    attended = layers.Attention()([seq, seq])
    keras.Model(x, layers.Dense(1)(layers.GlobalAveragePooling1D()(attended)), name="refused_attention").save(
        os.path.join(OUT, "refused_attention.keras"))
    sequential("refused_conv_lstm", (None, 4, 3), [layers.ConvLSTM1D(2, 2), layers.Flatten(), layers.Dense(1)]).save(
        os.path.join(OUT, "refused_conv_lstm.keras"))
    print("refusal fixtures")


if __name__ == "__main__":
    names = sys.argv[1:]  # e.g. "lstm gru refusal" rewrites only those fixtures
    models = [n for n in names if n != "refusal"]
    if not names or models:
        model_fixtures(models)
    if not names or "refusal" in names:
        refusal_fixtures()
