"""Write a Keras recurrent model in rnn-serving's JSON model format.

    python keras_to_json.py my_model.keras my_model.json      # any file keras.models.load_model reads

(rnn-serving also reads .keras, .h5 and .weights.h5 files directly; this format is for hand-made or
non-Keras models, and is what the embedded default model uses.) Every array is Keras' get_weights() as it is.
"""
import json
import sys

RECURRENT = ("SimpleRNN", "LSTM", "GRU")


def _activation(value):
    return value if isinstance(value, str) else value["config"]["name"] if "config" in value else str(value)


def _recurrent(layer, kind, config, weights):
    entry = {"type": kind, "name": layer.name, "units": config["units"],
             "activation": _activation(config["activation"]), "returnSequences": config["return_sequences"],
             "goBackwards": config["go_backwards"], "stateful": config.get("stateful", False),
             "kernel": weights[0], "recurrentKernel": weights[1],
             "bias": weights[2] if config["use_bias"] else None}
    if kind != "SimpleRNN":
        entry["recurrentActivation"] = _activation(config["recurrent_activation"])
    if kind == "GRU":
        entry["resetAfter"] = config["reset_after"]
    return entry


def _layer(layer):
    kind = type(layer).__name__
    config = layer.get_config()
    weights = [w.tolist() for w in layer.get_weights()]
    if kind in RECURRENT:
        return _recurrent(layer, kind, config, weights)
    if kind == "Bidirectional":
        if config["merge_mode"] is None:
            raise ValueError(f"{layer.name}: merge_mode None is not supported")
        half = len(weights) // 2
        forward, backward = layer.forward_layer, layer.backward_layer
        return {"type": kind, "name": layer.name, "mergeMode": config["merge_mode"],
                "forward": _recurrent(forward, type(forward).__name__, forward.get_config(), weights[:half]),
                "backward": _recurrent(backward, type(backward).__name__, backward.get_config(), weights[half:])}
    if kind == "Dense":
        return {"type": kind, "name": layer.name, "units": config["units"],
                "activation": _activation(config["activation"]), "kernel": weights[0],
                "bias": weights[1] if config["use_bias"] else None}
    if kind == "TimeDistributed":
        inner = layer.layer
        if type(inner).__name__ != "Dense":
            raise ValueError(f"{layer.name}: TimeDistributed({type(inner).__name__}) is not supported")
        return {"type": kind, "name": layer.name, "layer": _layer(inner)}
    if kind == "Embedding":
        return {"type": kind, "name": layer.name, "maskZero": config["mask_zero"], "embeddings": weights[0]}
    if kind == "BatchNormalization":
        names = (["gamma"] if config["scale"] else []) + (["beta"] if config["center"] else []) \
            + ["movingMean", "movingVariance"]
        return {"type": kind, "name": layer.name, "epsilon": config["epsilon"], **dict(zip(names, weights))}
    if kind == "LayerNormalization":
        if config.get("rms_scaling"):
            raise ValueError(f"{layer.name}: rms_scaling is not supported")
        names = (["gamma"] if config["scale"] else []) + (["beta"] if config["center"] else [])
        return {"type": kind, "name": layer.name, "epsilon": config["epsilon"], **dict(zip(names, weights))}
    if kind == "Masking":
        return {"type": kind, "name": layer.name, "maskValue": config["mask_value"]}
    if kind == "Activation":
        return {"type": kind, "name": layer.name, "activation": _activation(config["activation"])}
    if kind in ("Dropout", "SpatialDropout1D", "GlobalAveragePooling1D", "GlobalMaxPooling1D", "Flatten"):
        return {"type": kind, "name": layer.name}
    raise ValueError(f"{layer.name}: {kind} is not supported")


def to_rnn_serving_json(model):
    layers = [_layer(layer) for layer in model.layers if type(layer).__name__ != "InputLayer"]
    shape = list(model.input_shape[1:])
    return {"name": model.name, "inputShape": shape, "layers": layers}


if __name__ == "__main__":
    import keras

    source, target = sys.argv[1:3]
    with open(target, "w") as f:
        json.dump(to_rnn_serving_json(keras.models.load_model(source)), f)
