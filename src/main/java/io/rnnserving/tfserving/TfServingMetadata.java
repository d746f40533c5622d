package io.rnnserving.tfserving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.repository.VersionState;
import io.swagger.v3.oas.annotations.media.Schema;

/** The status and metadata documents of TF Serving's REST API. */
final class TfServingMetadata {

    private TfServingMetadata() {
    }

    /** {@code ready} is what KServe's V1 client reads from this document; TF Serving clients read the states. */
    @Schema(name = "TfServingModelStatus")
    record Status(@JsonProperty("model_version_status") List<VersionStatus> modelVersionStatus,
                  @Schema(description = "True when a version is AVAILABLE (KServe's V1 protocol)") boolean ready) {
    }

    record VersionStatus(String version, String state, StatusDetail status) {
    }

    record StatusDetail(@JsonProperty("error_code") String errorCode,
                        @JsonProperty("error_message") String errorMessage) {
    }

    @Schema(name = "TfServingModelMetadata")
    record Metadata(@JsonProperty("model_spec") ModelSpec modelSpec, Map<String, SignatureDefMap> metadata) {
    }

    record ModelSpec(String name, @JsonProperty("signature_name") String signatureName, String version) {
    }

    record SignatureDefMap(@JsonProperty("signature_def") Map<String, SignatureDef> signatureDef,
                           @JsonProperty("@type") String type) {
    }

    record SignatureDef(Map<String, TensorInfo> inputs, Map<String, TensorInfo> outputs,
                        @JsonProperty("method_name") String methodName) {
    }

    record TensorInfo(String dtype, @JsonProperty("tensor_shape") TensorShape tensorShape, String name) {
    }

    /** Sizes are strings, as protobuf writes int64 in JSON; -1 for an axis of any length. */
    record TensorShape(List<Dim> dim, @JsonProperty("unknown_rank") boolean unknownRank) {
    }

    record Dim(String size, String name) {
    }

    /**
     * Each version as TF Serving reports it, highest first: a version that failed to load is END with its error,
     * as TF Serving shows one.
     */
    static Status status(List<io.rnnserving.repository.VersionStatus> versions) {
        List<VersionStatus> statuses = new ArrayList<>();
        for (int i = versions.size() - 1; i >= 0; i--) {
            var version = versions.get(i);
            boolean failed = version.state() == VersionState.FAILED;
            statuses.add(new VersionStatus(Long.toString(version.version()), failed ? "END" : version.state().name(),
                    failed ? new StatusDetail("UNKNOWN", version.reason()) : new StatusDetail("OK", "")));
        }
        return new Status(statuses, versions.stream().anyMatch(v -> v.state() == VersionState.AVAILABLE));
    }

    static Metadata of(String name, long version, RecurrentModel model) {
        Integer declared = model.declaredSteps();
        int steps = declared == null ? -1 : declared;
        boolean ids = model.embedding().isPresent();
        // TensorFlow's names of the precision the model computes in
        String numbers = model.precision() == Precision.FLOAT32 ? "DT_FLOAT" : "DT_DOUBLE";
        TensorInfo input = new TensorInfo(ids ? "DT_INT64" : numbers, ids ? shape(-1, steps)
                : shape(-1, steps, model.inputFeatures()), "serving_default_" + PredictionRequestReader.INPUT + ":0");
        TensorInfo output = new TensorInfo(numbers, model.outputsSequences()
                ? shape(-1, steps, model.outputWidth()) : shape(-1, model.outputWidth()), "StatefulPartitionedCall:0");
        SignatureDef signature = new SignatureDef(Map.of(PredictionRequestReader.INPUT, input), Map.of("yhat", output),
                "tensorflow/serving/predict");
        return new Metadata(new ModelSpec(name, "", Long.toString(version)), Map.of("signature_def", new SignatureDefMap(
                Map.of(PredictionRequestReader.SIGNATURE, signature), "type.googleapis.com/tensorflow.serving.SignatureDefMap")));
    }

    private static TensorShape shape(int... sizes) {
        List<Dim> dims = new ArrayList<>();
        for (int size : sizes) {
            dims.add(new Dim(Integer.toString(size), ""));
        }
        return new TensorShape(dims, false);
    }
}
