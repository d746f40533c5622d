package io.rnnserving.kserve;

import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.RecurrentModel;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Encodes an infer answer: JSON, or with any output asked as binary data, the binary tensor data extension's body. */
@Component
class InferResponseWriter {
    private final JsonMapper json;

    InferResponseWriter(JsonMapper json) {
        this.json = json;
    }

    /**
     * @param name    the model's name in the repository
     * @param version the version that answered
     */
    ResponseEntity<?> write(String name, long version, RecurrentModel model, InferRequest request,
                            ForwardResult result) {
        InferResponse response = InferResponse.of(name, Long.toString(version), model, request, result);
        if (!request.anyBinary()) {
            // set rather than negotiated: the mapping also produces octet-stream, which the JSON is not written as
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(response);
        }
        // written by the mapper that writes the JSON responses, so that both read the same
        BinaryInferResponse binary = BinaryInferResponse.of(response, request.outputs(), json);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(BinaryTensorData.HEADER, Integer.toString(binary.jsonLength()))
                .body(binary.body());
    }
}
