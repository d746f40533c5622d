package io.rnnserving.serving;

import java.util.Map;

import io.rnnserving.engine.SequenceBatch;

/**
 * What one request asks of the engine, already checked against the model: its batch, its initial states
 * (N×width row-major by state name; a state not named starts from zeros) and whether to record every step.
 */
public record InferenceCall(SequenceBatch batch, Map<String, double[]> initialStates, boolean trace) {

    public int samples() {
        return batch.samples();
    }
}
