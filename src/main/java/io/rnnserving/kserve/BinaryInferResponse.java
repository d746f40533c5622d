package io.rnnserving.kserve;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

/**
 * An infer response of the binary tensor data extension: the JSON response, in which each output asked as binary
 * data gives {@code parameters.binary_data_size} instead of {@code data}, then those outputs' bytes in its order.
 *
 * @param body       the whole body
 * @param jsonLength the length of its JSON, for the Inference-Header-Content-Length header
 */
record BinaryInferResponse(byte[] body, int jsonLength) {

    static BinaryInferResponse of(InferResponse response, List<RequestedOutput> requested, JsonMapper json) {
        List<InferResponse.OutputTensor> outputs = new ArrayList<>();
        List<Object> binaryValues = new ArrayList<>();
        long binaryBytes = 0;
        // the response lists the outputs in the order they were asked
        for (int i = 0; i < response.outputs().size(); i++) {
            InferResponse.OutputTensor output = response.outputs().get(i);
            if (requested.get(i).binary()) {
                long size = BinaryTensorData.byteLength(output.data());
                outputs.add(output.asBinary(size));
                binaryValues.add(output.data());
                binaryBytes += size;
            } else {
                outputs.add(output);
            }
        }
        // written by the mapper that writes the JSON responses, so that both read the same
        byte[] header = json.writeValueAsBytes(new InferResponse(response.modelName(), response.modelVersion(), response.id(), outputs));
        ByteBuffer body = ByteBuffer.allocate(Math.toIntExact(header.length + binaryBytes));
        body.put(header);
        for (Object values : binaryValues) {
            BinaryTensorData.write(values, body);
        }
        return new BinaryInferResponse(body.array(), header.length);
    }
}
