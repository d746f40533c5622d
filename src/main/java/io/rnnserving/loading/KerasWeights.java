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
     * named after the layer class in snake case, {@code _1}, {@code _2}… in config order; SimpleRNN under
     * {@code layers/<group>/cell/vars/0..2}, Dense under {@code layers/<group>/vars/0..1}.
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
            String varsPath = groupName + (layer.kerasClass().equals("SimpleRNN") ? "/cell/vars" : "/vars");
            if (!(child(layers, varsPath) instanceof Group varsGroup)) {
                throw new IllegalArgumentException(layer.describe() + ": the weights file has no group 'layers/"
                        + varsPath + "'");
            }
            List<Array> arrays = new ArrayList<>();
            for (int i = 0; varsGroup.getChild(Integer.toString(i)) instanceof Dataset dataset; i++) {
                arrays.add(array(dataset, layer.name(), "layers/" + varsPath + "/" + i));
            }
            byLayer.put(layer.name(), arrays);
        }
        return new KerasWeights(byLayer);
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
