package io.rnnserving.kserve;

import java.util.List;

import io.rnnserving.serving.ModelInput;
import io.rnnserving.serving.WirePointers;
import org.jspecify.annotations.Nullable;

/**
 * A decoded infer request.
 *
 * @param id      echoed in the response when given
 * @param at      where the model input's places are in this body
 * @param outputs the output tensors to return, in the order asked
 * @param single  the input {@code x} was FP32, so the outputs are FP32 too
 */
record InferRequest(@Nullable String id, ModelInput input, WirePointers at, List<RequestedOutput> outputs,
                    boolean single) {

    /** True when an output goes as binary data after the JSON, so the body is application/octet-stream. */
    boolean anyBinary() {
        return outputs.stream().anyMatch(RequestedOutput::binary);
    }
}
