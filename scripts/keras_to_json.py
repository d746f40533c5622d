"""Write a Keras recurrent model in rnn-serving's JSON model format.

    python keras_to_json.py my_model.keras my_model.json      # any file keras.models.load_model reads
    python keras_to_json.py a.keras a.json b.h5 b.json ...    # several at once (Keras is imported once)

Takes what the service serves, Sequential or single-chain functional, and refuses the rest in the service's own
words (the rules of loading/KerasConfigParser.java, read from the same model config). A refused or failed model
writes nothing: the JSON goes to a temporary file that is renamed only once complete. Exits 1 if any model failed.

(rnn-serving also reads .keras, .h5 and .weights.h5 files directly; this format is for hand-made or
non-Keras models, and is what the embedded default model uses.) Every array is Keras' get_weights() as it is.
"""
import json
import os
import sys
import tempfile

SUPPORTED_LAYERS = ("InputLayer, Embedding (first), Masking, SimpleRNN, LSTM, GRU, CuDNNLSTM, CuDNNGRU, "
                    "Bidirectional (of SimpleRNN, LSTM or GRU), Dense, TimeDistributed (of Dense), Activation, "
                    "GlobalAveragePooling1D, GlobalMaxPooling1D, Flatten, BatchNormalization, LayerNormalization, "
                    "Dropout, SpatialDropout1D")
RECURRENT = ("SimpleRNN", "LSTM", "GRU")
SERVED = RECURRENT + ("Bidirectional", "Embedding", "Masking", "Dense", "TimeDistributed", "Activation",
                      "GlobalAveragePooling1D", "GlobalMaxPooling1D", "Flatten", "BatchNormalization",
                      "LayerNormalization")
# Keras 3 traces Masking's mask as these op layers beside the chain; they compute nothing the service needs
MASK_OPS = {"NotEqual", "Any"}
PASS_THROUGH = ("Dropout", "SpatialDropout1D")


class Refused(ValueError):
    """The model is not one the service serves; the message is the service's."""


def layer_name(layer):
    return layer.get("config", {}).get("name", layer.get("name", "?"))


def described(layer):
    return f"layer '{layer_name(layer)}' ({layer.get('class_name', '?')})"


def chain_of(root):
    """The model's layer configs from input to output, as the service orders them, or Refused."""
    model_class = root["class_name"]
    config = root["config"]
    layers = config if isinstance(config, list) else config.get("layers") or []
    if not layers:
        raise Refused(f"the {model_class} config has no layers")
    if model_class == "Sequential":
        chain = list(layers)
    elif model_class in ("Functional", "Model"):
        chain = functional_chain(config, layers)
    else:
        raise Refused(f"the model is a {model_class}; supported: a Sequential model or a single-chain functional model")
    served = []
    for i, layer in enumerate(chain):
        if layer.get("class_name") == "InputLayer":
            if i > 0:
                raise Refused(f"layer '{layer_name(layer)}' (InputLayer) is not first")
            continue
        check_layer(layer)
        served.append(layer)
    if not any(layer["class_name"] in RECURRENT + ("Bidirectional",) for layer in served):
        raise Refused(f"the model has no recurrent layer (SimpleRNN, LSTM, GRU or Bidirectional); "
                      f"supported: {SUPPORTED_LAYERS}")
    return served


def functional_chain(config, layers):
    by_name = {layer_name(layer): layer for layer in layers}
    first = single_endpoint(config.get("input_layers"), "inputs")
    current = single_endpoint(config.get("output_layers"), "outputs")
    chain, on_chain = [], set()
    while True:
        layer = by_name.get(current)
        if layer is None or current in on_chain:
            raise Refused(f"the functional config refers to layer '{current}', which it does not define once")
        on_chain.add(current)
        chain.insert(0, layer)
        if current == first:
            break
        current = inbound_layer(layer)
    for name, layer in by_name.items():
        if name not in on_chain and layer.get("class_name") not in MASK_OPS:
            raise Refused(f"{described(layer)} is off the path from input to output; "
                          f"supported: a single chain of {SUPPORTED_LAYERS}")
    return chain


def single_endpoint(endpoints, what):
    # Keras 3 writes one endpoint as ["x", 0, 0]; Keras 2 as [["x", 0, 0]]
    if isinstance(endpoints, list) and endpoints and isinstance(endpoints[0], str):
        return endpoints[0]
    if isinstance(endpoints, list) and len(endpoints) == 1 and isinstance(endpoints[0][0], str):
        return endpoints[0][0]
    raise Refused(f"the functional model has {len(endpoints or [])} {what}; "
                  "supported: one input and one output in a single chain")


def inbound_layer(layer):
    nodes = layer.get("inbound_nodes", [])
    if len(nodes) != 1:
        raise Refused(f"{described(layer)} is called {len(nodes)} times; "
                      "supported: a single chain where each layer is called once")
    node = nodes[0]
    if isinstance(node, dict):
        inputs = keras_history(node.get("args"))
        extra = [name for key, value in node.get("kwargs", {}).items() if key != "mask"
                 for name in keras_history(value)]
        if extra:
            raise Refused(f"{described(layer)} takes extra inputs [{', '.join(extra)}] (e.g. initial_state); "
                          "supported: a single chain")
    else:
        inputs = [tensor[0] for tensor in node]
    if len(inputs) != 1:
        raise Refused(f"{described(layer)} takes {len(inputs)} inputs [{', '.join(inputs)}]; supported: a single chain")
    return inputs[0]


def keras_history(node):
    if isinstance(node, dict):
        history = node.get("config", {}).get("keras_history") if isinstance(node.get("config"), dict) else None
        if node.get("class_name") == "__keras_tensor__" and history and isinstance(history[0], str):
            return [history[0]]
        return [name for child in node.values() for name in keras_history(child)]
    if isinstance(node, list):
        return [name for child in node for name in keras_history(child)]
    return []


def activation(value):
    return value if isinstance(value, str) else value["config"]["name"] if "config" in value else str(value)


def check_layer(layer):
    """The service's refusals of a layer it otherwise reads (loading/KerasConfigParser.java), in its words."""
    kind, config = layer.get("class_name"), layer.get("config", {})
    if kind in RECURRENT:
        if config.get("return_state"):
            raise Refused(f"{described(layer)} has return_state=True; supported: return_state=False")
        if config.get("zero_output_for_mask") and config.get("return_sequences"):
            raise Refused(f"{described(layer)} has zero_output_for_mask=True; supported: False")
        if config.get("time_major"):
            raise Refused(f"{described(layer)} has time_major=True; supported: batch-major")
    elif kind not in SERVED + PASS_THROUGH:
        raise Refused(f"{described(layer)} is not supported; supported layers: {SUPPORTED_LAYERS}")


def recurrent(layer, kind, config, weights):
    entry = {"type": kind, "name": layer.name, "units": config["units"],
             "activation": activation(config["activation"]), "returnSequences": config["return_sequences"],
             "goBackwards": config["go_backwards"], "stateful": config.get("stateful", False),
             "kernel": weights[0], "recurrentKernel": weights[1],
             "bias": weights[2] if config["use_bias"] else None}
    if kind != "SimpleRNN":
        entry["recurrentActivation"] = activation(config["recurrent_activation"])
    if kind == "GRU":
        entry["resetAfter"] = config["reset_after"]
    return entry


def converted(layer):
    """One Keras layer object as the JSON format writes it."""
    kind = type(layer).__name__
    config = layer.get_config()
    weights = [w.tolist() for w in layer.get_weights()]
    if kind in RECURRENT:
        return recurrent(layer, kind, config, weights)
    if kind == "Bidirectional":
        if config["merge_mode"] is None:
            raise Refused(f"layer '{layer.name}' (Bidirectional) has merge_mode None; supported: concat, sum, mul, ave")
        # get_weights(): the forward layer's arrays, then the backward layer's
        half = len(weights) // 2
        forward, backward = layer.forward_layer, layer.backward_layer
        return {"type": kind, "name": layer.name, "mergeMode": config["merge_mode"],
                "forward": recurrent(forward, type(forward).__name__, forward.get_config(), weights[:half]),
                "backward": recurrent(backward, type(backward).__name__, backward.get_config(), weights[half:])}
    if kind == "Dense":
        return {"type": kind, "name": layer.name, "units": config["units"],
                "activation": activation(config["activation"]), "kernel": weights[0],
                "bias": weights[1] if config["use_bias"] else None}
    if kind == "TimeDistributed":
        inner = layer.layer
        if type(inner).__name__ != "Dense":
            raise Refused(f"layer '{layer.name}' (TimeDistributed) wraps a {type(inner).__name__}; supported: Dense")
        return {"type": kind, "name": layer.name, "layer": converted(inner)}
    if kind == "Embedding":
        return {"type": kind, "name": layer.name, "maskZero": config["mask_zero"], "embeddings": weights[0]}
    if kind == "BatchNormalization":
        names = (["gamma"] if config["scale"] else []) + (["beta"] if config["center"] else []) \
            + ["movingMean", "movingVariance"]
        return {"type": kind, "name": layer.name, "epsilon": config["epsilon"], **dict(zip(names, weights))}
    if kind == "LayerNormalization":
        if config.get("rms_scaling"):
            raise Refused(f"layer '{layer.name}' (LayerNormalization) has rms_scaling=True; supported: False")
        names = (["gamma"] if config["scale"] else []) + (["beta"] if config["center"] else [])
        return {"type": kind, "name": layer.name, "epsilon": config["epsilon"], **dict(zip(names, weights))}
    if kind == "Masking":
        return {"type": kind, "name": layer.name, "maskValue": config["mask_value"]}
    if kind == "Activation":
        return {"type": kind, "name": layer.name, "activation": activation(config["activation"])}
    return {"type": kind, "name": layer.name}


def to_rnn_serving_json(model):
    root = json.loads(model.to_json())
    layers = [converted(model.get_layer(layer_name(layer))) for layer in chain_of(root)]
    shape = list(model.input_shape)
    ids = layers[0]["type"] == "Embedding"
    if len(shape) != (2 if ids else 3) or (not ids and not isinstance(shape[2], int)):
        raise Refused(f"the input shape is {shape}; supported: [batch, steps or None, features], or [batch, steps "
                      "or None] of token ids before an Embedding")
    # the dtype (policy) Keras saved the model with: the service computes in it, float32 unless the model is float64
    policy = getattr(model.layers[0], "dtype_policy", None)
    return {"name": model.name, "inputShape": shape[1:], "dtype": policy.name if policy is not None else "float32",
            "layers": layers}


def write_atomically(document, target):
    """The whole JSON or nothing: a temporary file beside the target, renamed once written."""
    folder = os.path.dirname(os.path.abspath(target))
    handle, temporary = tempfile.mkstemp(prefix=".keras_to_json.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w") as f:
            json.dump(document, f)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def main(arguments):
    if len(arguments) < 2 or len(arguments) % 2:
        print(__doc__, file=sys.stderr)
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    failed = 0
    for source, target in zip(arguments[0::2], arguments[1::2]):
        try:
            write_atomically(to_rnn_serving_json(keras.models.load_model(source, compile=False)), target)
            print(f"{source} -> {target}")
        except Refused as e:
            print(f"{source}: {e}", file=sys.stderr)
            failed += 1
        except Exception as e:  # a file Keras itself cannot read
            print(f"{source}: Keras could not read it: {e}".replace("\n", " "), file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
