package io.rnnserving.engine;

import org.jspecify.annotations.Nullable;

/**
 * Keras' {@code BatchNormalization} at inference, over the last axis: {@code γ(x − mean)/sqrt(var + ε) + β} with
 * the moving mean and variance, computed as Keras does, {@code x·inv + (β − mean·inv)} with
 * {@code inv = γ/sqrt(var + ε)}.
 */
public final class BatchNormalizationLayer implements Layer {
    private final String name;
    private final double[] inv;
    private final double[] offset;
    private final long parameters;

    private BatchNormalizationLayer(String name, double[] inv, double[] offset, long parameters) {
        this.name = name;
        this.inv = inv;
        this.offset = offset;
        this.parameters = parameters;
    }

    /**
     * From Keras' {@code get_weights()} order: gamma (null for {@code scale=False}), beta (null for
     * {@code center=False}), moving_mean, moving_variance, each F values; and epsilon.
     */
    public static BatchNormalizationLayer of(String name, double @Nullable [] gamma, double @Nullable [] beta,
                                             double[] movingMean, double[] movingVariance, double epsilon) {
        int features = movingMean.length;
        for (double[] v : new double[][] {gamma, beta, movingVariance}) {
            if (v != null && v.length != features) {
                throw new IllegalArgumentException(name + " (BatchNormalization): its weights differ in length ("
                        + v.length + " and " + features + ")");
            }
        }
        double[] inv = new double[features];
        double[] offset = new double[features];
        for (int j = 0; j < features; j++) {
            inv[j] = 1.0 / Math.sqrt(movingVariance[j] + epsilon);
            if (gamma != null) {
                inv[j] *= gamma[j];
            }
            offset[j] = (beta == null ? 0.0 : beta[j]) - movingMean[j] * inv[j];
        }
        long parameters = 2L * features + (gamma == null ? 0 : features) + (beta == null ? 0 : features);
        return new BatchNormalizationLayer(name, inv, offset, parameters);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kerasClass() {
        return "BatchNormalization";
    }

    public int features() {
        return inv.length;
    }

    /** gamma, beta, moving mean and variance: model.summary() counts the non-trainable two as well. */
    @Override
    public long parameterCount() {
        return parameters;
    }

    @Override
    public Tensor forward(Tensor input, ForwardContext context) {
        int width = inv.length;
        double[] x = input.values();
        double[] out = new double[input.rows() * width];
        for (int i = 0; i < out.length; i++) {
            int j = i % width;
            out[i] = x[i] * inv[j] + offset[j];
        }
        return input.withValues(out, width);
    }
}
