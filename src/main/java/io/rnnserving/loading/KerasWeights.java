package io.rnnserving.loading;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.rnnserving.loading.KerasModelConfig.LayerConfig;
import io.rnnserving.loading.KerasModelConfig.RecurrentConfig;
import org.jspecify.annotations.Nullable;

/**
 * The weight arrays of each weighted layer of a config, read from one of the two HDF5 layouts Keras writes,
 * in the order Keras' {@code get_weights()} gives them (kernel, recurrent kernel, bias).
 */
record KerasWeights(Map<String, List<Array>> byLayer) {

    /** One stored weight array, widened from float32 (or read as float64) to double. */
    record Array(String name, int[] shape, double[] values) {

        double[][] matrix(LayerConfig layer, int rows, int cols, String because) {
            if (shape.length != 2 || shape[0] != rows || shape[1] != cols) {
                throw new IllegalArgumentException(layer.describe() + ": weight '" + name + "' has shape "
                        + Arrays.toString(shape) + " but " + because + " (expected [" + rows + ", " + cols + "])");
            }
            double[][] matrix = new double[rows][cols];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(values, r * cols, matrix[r], 0, cols);
            }
            return matrix;
        }

        double[] vector(LayerConfig layer, int units) {
            if (shape.length != 1 || shape[0] != units) {
                throw new IllegalArgumentException(layer.describe() + ": weight '" + name + "' has shape "
                        + Arrays.toString(shape) + " but the config says " + units + " units (expected [" + units + "])");
            }
            return values;
        }
    }

    List<Array> of(LayerConfig layer) {
        List<Array> arrays = byLayer.get(layer.name());
        if (arrays == null) {
            throw new IllegalArgumentException(layer.describe() + " has no weights in the file");
        }
        return arrays;
    }

    /**
     * The legacy layout ({@code model.save('x.h5')}'s {@code model_weights} group, or the root of a Keras 2
     * {@code save_weights} file): {@code layer_names}, each layer's {@code weight_names}. Like Keras, matches the
     * file's layers that hold weights to the config's weighted layers by order, so writer-specific weight names
     * ({@code simplernn_1_W}, {@code kernel:0}, {@code simple_rnn_cell/kernel}) do not matter.
     */
    static KerasWeights fromLegacyGroup(Group group, KerasModelConfig config) {
        List<List<Array>> stored = new ArrayList<>();
        List<String> storedNames = new ArrayList<>();
        for (String layerName : stringsAttribute(group, "layer_names")) {
            if (!(group.getChild(layerName) instanceof Group g)) {
                throw new IllegalArgumentException("layer_names lists '" + layerName + "' but there is no group for it");
            }
            List<Array> arrays = new ArrayList<>();
            for (String weightName : stringsAttribute(g, "weight_names")) {
                if (!(child(g, weightName) instanceof Dataset dataset)) {
                    throw new IllegalArgumentException("layer '" + layerName + "': weight_names lists '" + weightName
                            + "' but there is no such dataset");
                }
                arrays.add(array(dataset, layerName, weightName));
            }
            if (!arrays.isEmpty()) {
                stored.add(arrays);
                storedNames.add(layerName);
            }
        }
        List<LayerConfig> weighted = config.weightedLayers();
        if (stored.size() != weighted.size()) {
            throw new IllegalArgumentException("the weights file has weights for " + stored.size() + " layers "
                    + storedNames + " but the config has " + weighted.size() + " layers with weights "
                    + weighted.stream().map(LayerConfig::name).toList());
        }
        Map<String, List<Array>> byLayer = new HashMap<>();
        for (int i = 0; i < weighted.size(); i++) {
            byLayer.put(weighted.get(i).name(), stored.get(i));
        }
        return new KerasWeights(byLayer);
    }

    /**
     * The Keras 3 layout ({@code model.weights.h5} in a .keras, or {@code save_weights('x.weights.h5')}): groups
     * named after the layer class in snake case, {@code _1}, {@code _2}… in config order, each holding its arrays
     * under {@link LayerConfig#keras3VarsPaths()}: {@code layers/lstm/cell/vars/0..2},
     * {@code layers/bidirectional/forward_layer/cell/vars/0..2} then {@code backward_layer/…},
     * {@code layers/time_distributed/layer/vars/0..1}, {@code layers/dense/vars/0..1}.
     */
    static KerasWeights fromKeras3File(HdfFile file, KerasModelConfig config) {
        if (!(file.getChild("layers") instanceof Group layers)) {
            throw new IllegalArgumentException("the weights file has no 'layers' group");
        }
        Map<String, Integer> seenPerClass = new HashMap<>();
        Map<String, List<Array>> byLayer = new HashMap<>();
        for (LayerConfig layer : config.weightedLayers()) {
            String prefix = KerasModelConfig.snakeCase(layer.kerasClass());
            int seen = seenPerClass.merge(prefix, 1, Integer::sum) - 1;
            String groupName = seen == 0 ? prefix : prefix + "_" + seen;
            List<Array> arrays = new ArrayList<>();
            for (String vars : layer.keras3VarsPaths()) {
                String varsPath = groupName + "/" + vars;
                if (!(child(layers, varsPath) instanceof Group varsGroup)) {
                    throw new IllegalArgumentException(layer.describe() + ": the weights file has no group 'layers/"
                            + varsPath + "'");
                }
                for (int i = 0; varsGroup.getChild(Integer.toString(i)) instanceof Dataset dataset; i++) {
                    arrays.add(array(dataset, layer.name(), "layers/" + varsPath + "/" + i));
                }
            }
            byLayer.put(layer.name(), arrays);
        }
        return new KerasWeights(byLayer);
    }

    /**
     * Keras 1 kept an LSTM's or GRU's weights gate by gate ({@code lstm_1_W_i}, {@code lstm_1_U_i}, {@code lstm_1_b_i},
     * … for gates i, c, f, o; {@code gru_1_W_z}, … for z, r, h): joins them, by the names' suffixes, into the
     * kernel, recurrent kernel and bias of later Keras, gates in their order (i, f, c, o and z, r, h). Any other
     * list is returned as it is.
     */
    static List<Array> joinKeras1Gates(RecurrentConfig layer, List<Array> arrays) {
        String gates = switch (layer.cell()) {
            case "LSTM" -> "ifco";
            case "GRU" -> "zrh";
            default -> "";
        };
        int perGate = layer.useBias() ? 3 : 2;
        if (gates.isEmpty() || arrays.size() != gates.length() * perGate) {
            return arrays;
        }
        List<Array> joined = new ArrayList<>();
        for (String kind : layer.useBias() ? new String[] {"W", "U", "b"} : new String[] {"W", "U"}) {
            List<Array> parts = new ArrayList<>();
            for (char gate : gates.toCharArray()) {
                String suffix = "_" + kind + "_" + gate;
                Array part = arrays.stream().filter(a -> stripDeviceSuffix(a.name()).endsWith(suffix)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(layer.describe() + " has " + arrays.size()
                                + " weight arrays, as Keras 1 stored a " + layer.cell() + " gate by gate, but none "
                                + "is named *" + suffix + " (it has " + arrays.stream().map(Array::name).toList()
                                + ")"));
                parts.add(part);
            }
            joined.add(concatColumns(layer, kind, parts));
        }
        return joined;
    }

    private static String stripDeviceSuffix(String name) {
        return name.endsWith(":0") ? name.substring(0, name.length() - 2) : name;
    }

    /** Gate blocks side by side: D×M (or M) each, into D×GM (or GM). */
    private static Array concatColumns(RecurrentConfig layer, String kind, List<Array> parts) {
        int[] shape = parts.get(0).shape();
        for (Array part : parts) {
            if (!java.util.Arrays.equals(part.shape(), shape) || shape.length < 1 || shape.length > 2) {
                throw new IllegalArgumentException(layer.describe() + ": Keras 1 gate weights " + kind + " differ in "
                        + "shape (" + parts.stream().map(p -> java.util.Arrays.toString(p.shape())).toList() + ")");
            }
        }
        int rows = shape.length == 2 ? shape[0] : 1;
        int cols = shape[shape.length - 1];
        int gates = parts.size();
        double[] values = new double[rows * cols * gates];
        for (int g = 0; g < gates; g++) {
            double[] part = parts.get(g).values();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(part, r * cols, values, r * cols * gates + g * cols, cols);
            }
        }
        int[] joinedShape = shape.length == 2 ? new int[] {rows, cols * gates} : new int[] {cols * gates};
        return new Array(layer.name() + "/" + kind, joinedShape, values);
    }

    /** The node at a relative path, or null; jhdf's own lookup throws for a missing path. */
    private static @Nullable Node child(Group group, String path) {
        Node node = group;
        for (String part : path.split("/")) {
            if (!(node instanceof Group parent)) {
                return null;
            }
            node = parent.getChild(part);
        }
        return node;
    }

    private static Array array(Dataset dataset, String layerName, String weightName) {
        Object flat = dataset.getDataFlat();
        double[] values;
        if (flat instanceof float[] floats) {
            values = new double[floats.length];
            for (int i = 0; i < floats.length; i++) {
                values[i] = floats[i];
            }
        } else if (flat instanceof double[] doubles) {
            values = doubles.clone();
        } else {
            throw new IllegalArgumentException("layer '" + layerName + "': weight '" + weightName + "' is "
                    + dataset.getJavaType().getSimpleName() + ", not float32 or float64");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("layer '" + layerName + "': weight '" + weightName + "' holds "
                        + values[i] + " at flat index " + i + "; weights must be finite");
            }
        }
        int[] shape = dataset.isScalar() ? new int[0] : dataset.getDimensions();
        return new Array(weightName, shape, values);
    }

    /**
     * A string-array attribute as Keras writes it: fixed-length null-padded or variable-length, and when large,
     * split into {@code name0}, {@code name1}, … An absent or empty attribute is an empty list.
     */
    static List<String> stringsAttribute(Node node, String name) {
        List<String> values = new ArrayList<>();
        if (node.getAttribute(name) != null) {
            addStrings(node.getAttribute(name), values);
            return values;
        }
        for (int chunk = 0; node.getAttribute(name + chunk) != null; chunk++) {
            addStrings(node.getAttribute(name + chunk), values);
        }
        return values;
    }

    static @Nullable String stringAttribute(Node node, String name) {
        Attribute attribute = node.getAttribute(name);
        if (attribute == null || attribute.isEmpty()) {
            return null;
        }
        Object data = attribute.getData();
        if (data instanceof String s) {
            return stripNulls(s);
        }
        if (data instanceof String[] strings && strings.length == 1) {
            return stripNulls(strings[0]);
        }
        throw new IllegalArgumentException("attribute '" + name + "' is not a string");
    }

    private static void addStrings(Attribute attribute, List<String> into) {
        if (attribute.isEmpty()) {
            return;
        }
        Object data = attribute.getData();
        if (data instanceof String s) {
            into.add(stripNulls(s));
        } else if (data instanceof String[] strings) {
            for (String s : strings) {
                into.add(stripNulls(s));
            }
        } else if (!(data instanceof double[] d && d.length == 0)) {
            throw new IllegalArgumentException("attribute '" + attribute.getName() + "' is not a list of strings");
        }
    }

    private static String stripNulls(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\0') {
            end--;
        }
        return s.substring(0, end);
    }
}
