package io.rnnserving.engine;

/**
 * Keras' {@code GlobalAveragePooling1D} and {@code GlobalMaxPooling1D}: one vector per sample from its steps. The
 * average, like Keras', counts only the steps a mask keeps; the max, like Keras', ignores the mask. Either reads
 * only each sample's own steps, so a sample answers as it would alone.
 */
public record GlobalPoolingLayer(String name, boolean average) implements Layer {

    public static GlobalPoolingLayer average(String name) {
        return new GlobalPoolingLayer(name, true);
    }

    public static GlobalPoolingLayer max(String name) {
        return new GlobalPoolingLayer(name, false);
    }

    @Override
    public String kerasClass() {
        return average ? "GlobalAveragePooling1D" : "GlobalMaxPooling1D";
    }

    @Override
    public Tensor forward(Tensor input, ForwardContext context) {
        int samples = input.samples();
        int steps = input.steps();
        int width = input.width();
        int[] lengths = input.lengths();
        boolean[] mask = input.mask();
        double[] x = input.values();
        double[] out = new double[samples * width];
        for (int n = 0; n < samples; n++) {
            int o = n * width;
            if (!average) {
                java.util.Arrays.fill(out, o, o + width, Double.NEGATIVE_INFINITY);
            }
            int kept = 0;
            for (int t = 0; t < lengths[n]; t++) {
                int position = n * steps + t;
                if (average && mask != null && !mask[position]) {
                    continue;
                }
                kept++;
                for (int j = 0; j < width; j++) {
                    double v = x[position * width + j];
                    out[o + j] = average ? out[o + j] + v : Math.max(out[o + j], v);
                }
            }
            if (average) {
                for (int j = 0; j < width; j++) {
                    out[o + j] /= kept; // every step masked: 0/0, NaN, as in Keras
                }
            }
        }
        return Tensor.vectors(out, samples, width);
    }
}
