package io.rnnserving.predict;

import java.util.Map;

import io.rnnserving.engine.SequenceBatch;

/**
 * A parsed POST /predict body.
 *
 * @param initialStates N×M row-major initial state by recurrent layer name (absent layers start at zero)
 */
record PredictRequest(SequenceBatch batch, Map<String, double[]> initialStates, boolean trace, boolean returnState) {
}
