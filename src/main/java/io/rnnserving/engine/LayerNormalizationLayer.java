package io.rnnserving.engine;

import org.jspecify.annotations.Nullable;

/**
 * Keras' {@code LayerNormalization} over the last axis, position by position: with the row's mean and (biased)
 * variance, {@code x·inv + (β − mean·inv)}, {@code inv = γ/sqrt(var + ε)}, as Keras computes it.
 */
public final class LayerNormalizationLayer implements Layer {
    private final String name;
    private final double @Nullable [] gamma;
    private final double @Nullable [] beta;
    private final int features;
    private final double epsilon;

    private LayerNormalizationLayer(String name, double @Nullable [] gamma, double @Nullable [] beta, int features,
                                    double epsilon) {
        this.name = name;
        this.gamma = gamma;
        this.beta = beta;
        this.features = features;
        this.epsilon = epsilon;
    }

    /**
     * From Keras' {@code get_weights()} order: gamma (null for {@code scale=False}), beta (null for
     * {@code center=False}), each F values; {@code features} F; epsilon. Keras' rms_scaling is not supported.
     */
    public static LayerNormalizationLayer of(String name, double @Nullable [] gamma, double @Nullable [] beta,
                                             int features, double epsilon) {
        for (double[] v : new double[][] {gamma, beta}) {
            if (v != null && v.length != features) {
                throw new IllegalArgumentException(name + " (LayerNormalization) normalises " + features
                        + " features but a weight has " + v.length);
            }
        }
        return new LayerNormalizationLayer(name, gamma == null ? null : gamma.clone(),
                beta == null ? null : beta.clone(), features, epsilon);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kerasClass() {
        return "LayerNormalization";
    }

    public int features() {
        return features;
    }

    @Override
    public long parameterCount() {
        return (gamma == null ? 0 : features) + (beta == null ? 0 : features);
    }

    @Override
    public Tensor forward(Tensor input, ForwardContext context) {
        double[] x = input.values();
        double[] out = new double[input.rows() * features];
        for (int row = 0; row < input.rows(); row++) {
            int start = row * features;
            double mean = 0.0;
            for (int j = 0; j < features; j++) {
                mean += x[start + j];
            }
            mean /= features;
            double variance = 0.0;
            for (int j = 0; j < features; j++) {
                double d = x[start + j] - mean;
                variance += d * d;
            }
            variance /= features;
            double scale = 1.0 / Math.sqrt(variance + epsilon);
            for (int j = 0; j < features; j++) {
                double inv = gamma == null ? scale : scale * gamma[j];
                double offset = -mean * inv + (beta == null ? 0.0 : beta[j]);
                out[start + j] = x[start + j] * inv + offset;
            }
        }
        return input.withValues(out, features);
    }
}
