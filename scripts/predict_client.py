"""Ask a running rnn-serving for predictions and compare them with Keras' own model.predict on the same input.

    python scripts/predict_client.py model.keras [http://localhost:8080]     # the service serving model.keras

Needs requests, numpy and keras. Both compute in float32 (a float32 model), in other orders of sums: they agree to
about 1e-6.
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import requests  # noqa: E402
import keras  # noqa: E402

model_file = sys.argv[1]
url = sys.argv[2] if len(sys.argv) > 2 else "http://localhost:8080"

model = keras.models.load_model(model_file, compile=False)
steps, features = model.input_shape[1], model.input_shape[2]
x = np.random.default_rng(0).uniform(-1, 1, size=(4, steps or 10, features))

answer = requests.post(f"{url}/predict", json={"x": x.tolist()}, timeout=30)
answer.raise_for_status()
served = np.array(answer.json()["yhat"])
keras_yhat = model.predict(x, verbose=0)

print("service:", np.array2string(served, precision=6, separator=", "))
print("keras:  ", np.array2string(keras_yhat, precision=6, separator=", "))
print(f"largest difference: {np.max(np.abs(served - keras_yhat)):.1e}")
