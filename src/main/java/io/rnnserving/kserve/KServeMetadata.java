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
    record Model(String name, String platform, List<Tensor> inputs, List<Tensor> outputs) {
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

    static Model of(RecurrentModel model) {
        Integer declared = model.declaredSteps();
        int steps = declared == null ? -1 : declared;
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(new Tensor(Tensors.X, Tensors.FP64, new int[] {-1, steps, model.inputFeatures()}));
        for (String name : Tensors.stateInputs(model)) {
            inputs.add(new Tensor(name, Tensors.FP64, new int[] {-1, Tensors.layerOf(model, name).units()}));
        }
        inputs.add(new Tensor(Tensors.LENGTHS, Tensors.INT64, new int[] {-1}));
        List<Tensor> outputs = new ArrayList<>();
        for (String name : Tensors.outputs(model)) {
            int[] shape;
            if (name.equals(Tensors.YHAT)) {
                shape = model.outputsSequences()
                        ? new int[] {-1, steps, model.outputWidth()} : new int[] {-1, model.outputWidth()};
            } else {
                RecurrentLayer layer = Tensors.layerOf(model, name);
                shape = name.startsWith(Tensors.HIDDEN)
                        ? new int[] {-1, steps, layer.units()} : new int[] {-1, layer.units()};
            }
            outputs.add(new Tensor(name, Tensors.FP64, shape));
        }
        return new Model(model.name(), "keras_simplernn", inputs, outputs);
    }
}
