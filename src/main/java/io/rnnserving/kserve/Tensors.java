package io.rnnserving.kserve;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentLayer;
import io.rnnserving.engine.RecurrentModel;

/**
 * The tensor names and data types this adapter speaks. A state part of a layer whose state has one part is named as
 * before: {@code h0}, {@code state}, {@code hidden} for a model with one recurrent layer, {@code h0/<layer>},
 * {@code state/<layer>}, {@code hidden/<layer>} for a stacked one. A part of a layer of several parts (an LSTM's
 * {@code h} and {@code c}, a Bidirectional's {@code forward_h}, …) is always {@code <base>/<layer>/<part>}.
 */
final class Tensors {
    static final String X = "x";
    static final String H0 = "h0";
    static final String LENGTHS = "lengths";
    static final String YHAT = "yhat";
    static final String HIDDEN = "hidden";
    static final String STATE = "state";

    static final String FP32 = "FP32";
    static final String FP64 = "FP64";
    static final String INT32 = "INT32";
    static final String INT64 = "INT64";

    /** One state part of one recurrent layer under a tensor name. */
    record StateTensor(String name, RecurrentLayer layer, String part) {
    }

    private Tensors() {
    }

    /** The initial-state inputs, for the layers that take one (a Bidirectional layer does not). */
    static List<StateTensor> stateInputs(RecurrentModel model) {
        return perPart(model, H0).stream().filter(tensor -> tensor.layer().acceptsInitialState()).toList();
    }

    /** The name x takes its datatype from: token ids for a model that starts with an Embedding. */
    static String inputDatatype(RecurrentModel model) {
        return model.embedding().isPresent() ? INT64 : floatDatatype(model);
    }

    /** The datatype of the model's numbers: FP32 for a model computed in float32, FP64 in float64. */
    static String floatDatatype(RecurrentModel model) {
        return model.precision() == Precision.FLOAT32 ? FP32 : FP64;
    }

    /**
     * Every per-layer output this model can give, in the order the metadata lists them: {@code hidden} (the last
     * recurrent layer's h after every step, when it has one), each part's trace, each part's final state.
     */
    static List<StateTensor> stateOutputs(RecurrentModel model) {
        List<StateTensor> outputs = new ArrayList<>();
        List<RecurrentLayer> layers = model.recurrentLayers();
        RecurrentLayer last = layers.get(layers.size() - 1);
        List<StateTensor> traces = perPart(model, HIDDEN);
        if (last.stateParts().contains("h") && traces.stream().noneMatch(t -> t.name().equals(HIDDEN))) {
            outputs.add(new StateTensor(HIDDEN, last, "h"));
        }
        outputs.addAll(traces);
        outputs.addAll(perPart(model, STATE));
        return outputs;
    }

    /** Every output name, {@code yhat} first. */
    static List<String> outputs(RecurrentModel model) {
        List<String> names = new ArrayList<>();
        names.add(YHAT);
        stateOutputs(model).forEach(tensor -> names.add(tensor.name()));
        return names;
    }

    static Optional<StateTensor> stateOutput(RecurrentModel model, String name) {
        return stateOutputs(model).stream().filter(tensor -> tensor.name().equals(name)).findFirst();
    }

    /** {@code base}, {@code base/<layer>} or {@code base/<layer>/<part>} for every part of every recurrent layer. */
    private static List<StateTensor> perPart(RecurrentModel model, String base) {
        List<RecurrentLayer> layers = model.recurrentLayers();
        List<StateTensor> tensors = new ArrayList<>();
        for (RecurrentLayer layer : layers) {
            List<String> parts = layer.stateParts();
            if (parts.size() == 1) {
                tensors.add(new StateTensor(layers.size() == 1 ? base : base + "/" + layer.name(), layer, parts.get(0)));
            } else {
                parts.forEach(part -> tensors.add(new StateTensor(base + "/" + layer.name() + "/" + part, layer, part)));
            }
        }
        return tensors;
    }
}
