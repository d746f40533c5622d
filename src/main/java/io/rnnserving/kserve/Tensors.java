package io.rnnserving.kserve;

import java.util.ArrayList;
import java.util.List;

import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.RecurrentLayer;

/**
 * The tensor names and data types this adapter speaks. A model with one recurrent layer takes {@code h0} and gives
 * {@code state}; a stacked model names each layer's: {@code h0/<layer>}, {@code state/<layer>}.
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

    private Tensors() {
    }

    /** The names of the initial-state inputs: {@code h0}, or {@code h0/<layer>} for each layer of a stacked model. */
    static List<String> stateInputs(RecurrentModel model) {
        return perLayer(model, H0);
    }

    /** Every output this model can give, in the order the metadata lists them. */
    static List<String> outputs(RecurrentModel model) {
        List<String> names = new ArrayList<>();
        names.add(YHAT);
        names.add(HIDDEN);
        if (model.recurrentLayers().size() > 1) {
            names.addAll(perLayer(model, HIDDEN));
        }
        names.addAll(perLayer(model, STATE));
        return names;
    }

    /** {@code base} for a model with one recurrent layer, else {@code base/<layer>} for each. */
    static List<String> perLayer(RecurrentModel model, String base) {
        List<RecurrentLayer> layers = model.recurrentLayers();
        if (layers.size() == 1) {
            return List.of(base);
        }
        return layers.stream().map(layer -> base + "/" + layer.name()).toList();
    }

    /** The recurrent layer a per-layer name ({@code h0}, {@code state/rnn_2}) refers to. */
    static RecurrentLayer layerOf(RecurrentModel model, String name) {
        int slash = name.indexOf('/');
        List<RecurrentLayer> layers = model.recurrentLayers();
        return slash < 0 ? layers.get(layers.size() - 1) : model.recurrentLayer(name.substring(slash + 1));
    }
}
