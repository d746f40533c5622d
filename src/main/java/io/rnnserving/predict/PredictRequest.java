package io.rnnserving.predict;

import io.rnnserving.serving.ModelInput;

/** A decoded POST /predict body: the model input, and whether to answer with the final states. */
record PredictRequest(ModelInput input, boolean returnState) {
}
