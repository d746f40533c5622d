package io.rnnserving.kserve;

import java.util.ArrayList;
import java.util.List;

import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.RecurrentLayer;
import io.swagger.v3.oas.annotations.media.Schema;

/** The metadata documents of the protocol: the server's and the model's, with -1 for a variable axis. */
final class KServeMetadata {
    private KServeMetadata() {
    }

    @Schema(name = "KServeServerMetadata")
    record Server(String name, String version, List<String> extensions) {
    }

    @Schema(name = "KServeModelMetadata")
    record Model(String name,
                 @Schema(description = "The AVAILABLE versions, which may be asked for on the versions/{version} paths")
                 List<String> versions, String platform, List<Tensor> inputs, List<Tensor> outputs) {
    }

    @Schema(name = "KServeTensorMetadata")
    record Tensor(String name, String datatype,
                  @Schema(description = "-1 for an axis of any length", example = "[-1, 10, 3]") int[] shape) {
    }

    @Schema(name = "KServeLive")
    record Live(boolean live) {
    }

    @Schema(name = "KServeReady")
    record Ready(boolean ready) {
    }

    @Schema(name = "KServeModelReady")
    record ModelReady(String name, boolean ready) {
    }

    static Model of(String modelName, List<String> versions, RecurrentModel model) {
        Integer declared = model.declaredSteps();
        int steps = declared == null ? -1 : declared;
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(new Tensor(Tensors.X, Tensors.inputDatatype(model), model.embedding().isPresent()
                ? new int[] {-1, steps} : new int[] {-1, steps, model.inputFeatures()}));
        for (Tensors.StateTensor tensor : Tensors.stateInputs(model)) {
            inputs.add(new Tensor(tensor.name(), Tensors.floatDatatype(model), new int[] {-1, tensor.layer().units()}));
        }
        inputs.add(new Tensor(Tensors.LENGTHS, Tensors.INT64, new int[] {-1}));
        List<Tensor> outputs = new ArrayList<>();
        outputs.add(new Tensor(Tensors.YHAT, Tensors.floatDatatype(model), model.outputsSequences()
                ? new int[] {-1, steps, model.outputWidth()} : new int[] {-1, model.outputWidth()}));
        for (Tensors.StateTensor tensor : Tensors.stateOutputs(model)) {
            RecurrentLayer layer = tensor.layer();
            outputs.add(new Tensor(tensor.name(), Tensors.floatDatatype(model), tensor.name().startsWith(Tensors.HIDDEN)
                    ? new int[] {-1, steps, layer.units()} : new int[] {-1, layer.units()}));
        }
        return new Model(modelName, versions, "keras_simplernn", inputs, outputs);
    }
}
