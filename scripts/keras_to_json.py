"""Write a Keras SimpleRNN model in rnn-serving's JSON model format.

    python keras_to_json.py my_model.keras my_model.json      # any file keras.models.load_model reads
    python keras_to_json.py a.keras a.json b.h5 b.json ...    # several at once (Keras is imported once)

Takes what the service serves, Sequential or single-chain functional, and refuses the rest in the service's own
words (the rules of loading/KerasConfigParser.java, read from the same model config). A refused or failed model
writes nothing: the JSON goes to a temporary file that is renamed only once complete. Exits 1 if any model failed.

(rnn-serving also reads .keras, .h5 and .weights.h5 files directly; this format is for hand-made or
non-Keras models, and is what the embedded default model uses.)
"""
import json
import os
import sys
import tempfile

SUPPORTED_LAYERS = "InputLayer, Masking, SimpleRNN, Dense, Activation, Dropout, SpatialDropout1D"
ACTIVATIONS = ["linear", "tanh", "relu", "sigmoid", "hard_sigmoid", "softmax", "softplus", "softsign", "elu",
               "selu", "swish", "gelu", "exponential", "silu"]
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
    if not any(layer["class_name"] == "SimpleRNN" for layer in served):
        raise Refused(f"the model has no SimpleRNN layer; supported: {SUPPORTED_LAYERS}")
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


def activation_of(layer, absent):
    value = layer["config"].get("activation")
    if isinstance(value, dict) and value.get("class_name") == "function" and isinstance(value.get("config"), str):
        value = value["config"]
    if value is None and absent is not None:
        value = absent
    if not isinstance(value, str):
        raise Refused(f"{described(layer)} has activation {json.dumps(value)}; supported: {', '.join(ACTIVATIONS)}")
    if value not in ACTIVATIONS:
        raise Refused(f"{described(layer)}: unknown activation '{value}'; supported: {', '.join(ACTIVATIONS)}")
    return value


def check_layer(layer):
    kind, config = layer.get("class_name"), layer.get("config", {})
    if kind == "SimpleRNN":
        if config.get("return_state"):
            raise Refused(f"{described(layer)} has return_state=True; supported: return_state=False")
        if config.get("zero_output_for_mask") and config.get("return_sequences"):
            raise Refused(f"{described(layer)} has zero_output_for_mask=True; supported: False")
        if config.get("time_major"):
            raise Refused(f"{described(layer)} has time_major=True; supported: batch-major")
        if activation_of(layer, "tanh") == "softmax":
            inside = ", ".join(a for a in ACTIVATIONS if a != "softmax")
            raise Refused(f"{described(layer)} has activation softmax; supported in a SimpleRNN: {inside}")
    elif kind == "Dense":
        activation_of(layer, "linear")
    elif kind == "Activation":
        activation_of(layer, None)
    elif kind not in ("Masking",) + PASS_THROUGH:
        raise Refused(f"{described(layer)} is not supported; supported layers: {SUPPORTED_LAYERS}")


def to_rnn_serving_json(model):
    root = json.loads(model.to_json())
    layers = []
    for layer in chain_of(root):
        kind, config, name = layer["class_name"], layer["config"], layer_name(layer)
        weights = [w.tolist() for w in model.get_layer(name).get_weights()]
        if kind == "SimpleRNN":
            layers.append({"type": kind, "name": name, "units": config["units"],
                           "activation": activation_of(layer, "tanh"),
                           "returnSequences": config.get("return_sequences", False),
                           "goBackwards": config.get("go_backwards", False), "kernel": weights[0],
                           "recurrentKernel": weights[1], "bias": weights[2] if config.get("use_bias", True) else None})
        elif kind == "Dense":
            layers.append({"type": kind, "name": name, "units": config["units"],
                           "activation": activation_of(layer, "linear"), "kernel": weights[0],
                           "bias": weights[1] if config.get("use_bias", True) else None})
        elif kind == "Masking":
            layers.append({"type": kind, "name": name, "maskValue": config.get("mask_value", 0.0)})
        elif kind == "Activation":
            layers.append({"type": kind, "name": name, "activation": activation_of(layer, None)})
        else:
            layers.append({"type": kind, "name": name})
    shape = list(model.input_shape)
    if len(shape) != 3 or not isinstance(shape[2], int):
        raise Refused(f"the input shape is {shape}; supported: [batch, steps or None, features]")
    return {"name": model.name, "inputShape": shape[1:], "layers": layers}


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
