"""The Python peer: FastAPI + uvicorn + Keras 3 on TensorFlow, serving POST /predict like the Java service
({"x": N×T×D} -> {"yhat": N×K}), the model called through one tf.function.

  MODEL_PATH=bench/models/notebook.keras uvicorn --app-dir bench/python_peer app:app --port 18090
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from fastapi import FastAPI, Request  # noqa: E402
from fastapi.responses import JSONResponse, Response  # noqa: E402

model = keras.saving.load_model(os.environ["MODEL_PATH"])
_, steps, features = model.input_shape


@tf.function(input_signature=[tf.TensorSpec([None, steps, features], tf.float32)], reduce_retracing=True)
def forward(x):
    return model(x, training=False)


forward(tf.zeros([1, steps, features]))  # trace before the first request
app = FastAPI()


@app.get("/health")
def health():
    return {"status": "UP"}


@app.post("/predict")
async def predict(request: Request):
    body = json.loads(await request.body())
    x = np.asarray(body["x"], dtype=np.float32)
    if x.ndim != 3 or x.shape[1:] != (steps, features):
        return JSONResponse({"detail": f"x must be N×{steps}×{features}"}, status_code=400)
    yhat = forward(x).numpy().astype(np.float64)
    return Response(json.dumps({"yhat": yhat.tolist()}), media_type="application/json")
