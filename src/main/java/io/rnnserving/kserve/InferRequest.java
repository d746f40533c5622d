package io.rnnserving.kserve;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.rnnserving.engine.SequenceBatch;
import org.jspecify.annotations.Nullable;

/**
 * A parsed infer request.
 *
 * @param id            echoed in the response when given
 * @param initialStates N×M row-major initial state by recurrent layer name (absent layers start at zero)
 * @param outputs       the output tensors to return, in the order asked
 * @param binaryOutputs those of them to send as binary data after the JSON (the binary tensor data extension)
 * @param single        the input {@code x} was FP32, so the outputs are FP32 too
 */
record InferRequest(@Nullable String id, SequenceBatch batch, Map<String, double[]> initialStates,
                    List<String> outputs, Set<String> binaryOutputs, boolean single) {

    /** True when an asked output needs every step's state, which the engine records only when asked. */
    boolean needsTrace() {
        return outputs.stream().anyMatch(name -> name.equals(Tensors.HIDDEN) || name.startsWith(Tensors.HIDDEN + "/"));
    }
}
