package io.rnnserving.kserve;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.StateSequence;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** An infer response: the asked output tensors, each flat row-major with its shape. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "KServeInferResponse")
record InferResponse(
        @JsonProperty("model_name") String modelName,
        @JsonProperty("model_version") @Schema(description = "The version that answered") String modelVersion,
        @Schema(description = "The request's id, when it gave one") @Nullable String id,
        List<OutputTensor> outputs) {

    /**
     * @param parameters for an output sent as binary data only: the size of its bytes after the JSON
     * @param data       flat row-major: {@code double[]} for FP64, {@code float[]} for FP32; null when sent as binary
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "KServeOutputTensor")
    record OutputTensor(String name, int[] shape,
                        @Schema(allowableValues = {"FP32", "FP64"}) String datatype,
                        @Schema(description = "Only for an output sent as binary data (application/octet-stream)")
                        @Nullable OutputParameters parameters,
                        @ArraySchema(schema = @Schema(types = "number"), arraySchema = @Schema(types = "array",
                                description = "Row-major values; absent for an output sent as binary data",
                                example = "[-0.2278387, 0.2340779]")) @Nullable Object data) {

        /** The same tensor announced in the JSON as {@code size} bytes of binary data instead of its data. */
        OutputTensor asBinary(long size) {
            return new OutputTensor(name, shape, datatype, new OutputParameters(size), null);
        }
    }

    @Schema(name = "KServeOutputParameters")
    record OutputParameters(
            @Schema(description = "The bytes of this output after the JSON, little-endian and row-major")
            @JsonProperty("binary_data_size") long binaryDataSize) {
    }

    static InferResponse of(String modelName, String version, RecurrentModel model, InferRequest request,
                            ForwardResult result) {
        List<OutputTensor> outputs = new ArrayList<>();
        // FP32 for an FP32 input, as before, and for every float32 model: its numbers are float32 whatever came in
        boolean single = request.single() || model.precision() == Precision.FLOAT32;
        for (RequestedOutput output : request.outputs()) {
            String name = output.name();
            switch (output.kind()) {
                case YHAT -> outputs.add(result.isSequence()
                        ? sequences(name, result.output(), result.samples(), result.outputSteps(), result.outputWidth(),
                                result.outputLengths(), single)
                        : matrix(name, result.output(), result.samples(), result.outputWidth(), single));
                case HIDDEN -> {
                    StateSequence states = result.stateTraces().get(output.layer()).get(output.part());
                    outputs.add(sequences(name, states.values(), states.samples(), states.steps(), states.units(),
                            states.lengths(), single));
                }
                case STATE -> outputs.add(matrix(name, result.finalStateParts().get(output.layer()).get(output.part()),
                        result.samples(), model.recurrentLayer(output.layer()).units(), single));
            }
        }
        return new InferResponse(modelName, version, request.id(), outputs);
    }

    private static OutputTensor matrix(String name, double[] values, int rows, int width, boolean single) {
        return tensor(name, new int[] {rows, width}, java.util.Arrays.copyOf(values, rows * width), single);
    }

    /** N×T×W with T the longest sample; steps past a sample's own length are zeros. */
    private static OutputTensor sequences(String name, double[] values, int samples, int steps, int width,
                                          int @Nullable [] lengths, boolean single) {
        double[] padded = new double[samples * steps * width];
        for (int n = 0; n < samples; n++) {
            int start = n * steps * width;
            System.arraycopy(values, start, padded, start, (lengths == null ? steps : lengths[n]) * width);
        }
        return tensor(name, new int[] {samples, steps, width}, padded, single);
    }

    private static OutputTensor tensor(String name, int[] shape, double[] values, boolean single) {
        if (!single) {
            return new OutputTensor(name, shape, Tensors.FP64, null, values);
        }
        float[] rounded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = (float) values[i];
        }
        return new OutputTensor(name, shape, Tensors.FP32, null, rounded);
    }
}
