"""Write a Keras SimpleRNN model in rnn-serving's JSON model format.

    python keras_to_json.py my_model.keras my_model.json      # any file keras.models.load_model reads

(rnn-serving also reads .keras, .h5 and .weights.h5 files directly; this format is for hand-made or
non-Keras models, and is what the embedded default model uses.)
"""
import json
import sys


def to_rnn_serving_json(model):
    layers = []
    for layer in model.layers:
        kind = type(layer).__name__
        config = layer.get_config()
        weights = [w.tolist() for w in layer.get_weights()]
        if kind == "SimpleRNN":
            layers.append({"type": kind, "name": layer.name, "units": config["units"],
                           "activation": config["activation"], "returnSequences": config["return_sequences"],
                           "goBackwards": config["go_backwards"], "kernel": weights[0], "recurrentKernel": weights[1],
                           "bias": weights[2] if config["use_bias"] else None})
        elif kind == "Dense":
            layers.append({"type": kind, "name": layer.name, "units": config["units"],
                           "activation": config["activation"], "kernel": weights[0],
                           "bias": weights[1] if config["use_bias"] else None})
        elif kind == "Masking":
            layers.append({"type": kind, "name": layer.name, "maskValue": config["mask_value"]})
        elif kind in ("Dropout", "SpatialDropout1D"):
            layers.append({"type": kind, "name": layer.name})
        elif kind == "Activation":
            layers.append({"type": kind, "name": layer.name, "activation": config["activation"]})
        else:
            raise ValueError(f"{layer.name}: {kind} is not supported")
    steps, features = model.input_shape[1:]
    return {"name": model.name, "inputShape": [steps, features], "layers": layers}


if __name__ == "__main__":
    import keras

    source, target = sys.argv[1:3]
    with open(target, "w") as f:
        json.dump(to_rnn_serving_json(keras.models.load_model(source)), f)
