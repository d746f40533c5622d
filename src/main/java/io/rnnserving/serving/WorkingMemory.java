package io.rnnserving.serving;

import io.rnnserving.engine.DenseLayer;
import io.rnnserving.engine.Layer;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.engine.SimpleRnnLayer;

/**
 * The heap one engine call and its answer take beyond the decoded body, from the request's shape: the engine's
 * arrays (8 bytes a number) and, for every sequence the answer carries, its nested copy (an array header and
 * reference beside each row).
 */
final class WorkingMemory {
    /** A nested row in an answer: its array header, its reference in the enclosing array and alignment. */
    private static final long ROW_OVERHEAD = 32;

    private WorkingMemory() {
    }

    static long of(RecurrentModel model, BoundRequest request) {
        SequenceBatch batch = request.batch();
        long samples = batch.samples();
        long rows = samples * batch.steps();
        long bytes = 8 * rows * model.inputFeatures();
        boolean sequences = true;
        for (Layer layer : model.layers()) {
            if (layer instanceof SimpleRnnLayer recurrent) {
                long units = recurrent.units();
                boolean kept = recurrent.returnSequences() || request.recordStates();
                // final state, two step buffers, the sequence when it is kept
                bytes += 8 * samples * units * 3 + (kept ? 8 * rows * units : 0);
                if (request.recordStates()) {
                    bytes += rows * (ROW_OVERHEAD + 8 * units);
                }
                sequences = recurrent.returnSequences();
            } else if (layer instanceof DenseLayer dense) {
                bytes += 8 * (sequences ? rows : samples) * dense.units();
            }
        }
        // the answer's copy of the output
        bytes += (sequences ? rows : samples) * (ROW_OVERHEAD + 8L * model.outputWidth());
        return bytes;
    }
}
