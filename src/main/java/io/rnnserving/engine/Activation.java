package io.rnnserving.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.commons.math3.special.Erf;

/**
 * The activations Keras applies after a layer's affine step, computed as Keras defines them.
 * Element-wise except the {@link #rowWise()} ones, which work on each row (the last axis) as a whole; every
 * activation Keras 3 accepts by name but {@code threshold}, which needs arguments a name cannot carry.
 */
public enum Activation {
    LINEAR("linear") {
        @Override
        double apply(double x) {
            return x;
        }
    },
    TANH("tanh") {
        @Override
        double apply(double x) {
            return Math.tanh(x);
        }
    },
    RELU("relu") {
        @Override
        double apply(double x) {
            return x > 0 ? x : 0.0;
        }
    },
    SIGMOID("sigmoid") {
        @Override
        double apply(double x) {
            return sigmoid(x);
        }
    },
    /** Keras 3: relu6(x + 3) / 6. */
    HARD_SIGMOID("hard_sigmoid") {
        @Override
        double apply(double x) {
            return clip(x / 6.0 + 0.5);
        }
    },
    /** Keras 1 and 2 (and tf.keras): clip(0.2 x + 0.5, 0, 1); chosen for files those versions wrote. */
    HARD_SIGMOID_KERAS2("hard_sigmoid") {
        @Override
        double apply(double x) {
            return clip(0.2 * x + 0.5);
        }
    },
    SOFTMAX("softmax") {
        @Override
        double apply(double x) {
            throw new IllegalStateException("softmax is applied row-wise");
        }

        @Override
        void applyToRow(double[] values, int start, int width) {
            double max = rowMax(values, start, width);
            double sum = 0.0;
            for (int i = start; i < start + width; i++) {
                values[i] = Math.exp(values[i] - max);
                sum += values[i];
            }
            for (int i = start; i < start + width; i++) {
                values[i] /= sum;
            }
        }
    },
    SOFTPLUS("softplus") {
        @Override
        double apply(double x) {
            // log(1 + e^x) without overflow for large x
            return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
        }
    },
    SOFTSIGN("softsign") {
        @Override
        double apply(double x) {
            return x / (1.0 + Math.abs(x));
        }
    },
    ELU("elu") {
        @Override
        double apply(double x) {
            return x > 0 ? x : Math.expm1(x);
        }
    },
    SELU("selu") {
        @Override
        double apply(double x) {
            return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
        }
    },
    SWISH("swish") {
        @Override
        double apply(double x) {
            return x * sigmoid(x);
        }
    },
    /** Keras' default, approximate=False: x Φ(x) with the exact normal CDF. */
    GELU("gelu") {
        @Override
        double apply(double x) {
            return 0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0)));
        }
    },
    EXPONENTIAL("exponential") {
        @Override
        double apply(double x) {
            return Math.exp(x);
        }
    },
    /** Keras' default negative_slope for the activation by name: 0.2 (the layer LeakyReLU differs). */
    LEAKY_RELU("leaky_relu") {
        @Override
        double apply(double x) {
            return Math.max(x, 0.2 * x);
        }
    },
    RELU6("relu6") {
        @Override
        double apply(double x) {
            return Math.min(6.0, Math.max(0.0, x));
        }
    },
    CELU("celu") {
        @Override
        double apply(double x) {
            return Math.max(x, 0.0) + Math.expm1(Math.min(x, 0.0));
        }
    },
    /** x · tanh(softplus(x)). */
    MISH("mish") {
        @Override
        double apply(double x) {
            return x * Math.tanh(SOFTPLUS.apply(x));
        }
    },
    /** x · relu6(x + 3) / 6; also named hard_swish. */
    HARD_SILU("hard_silu") {
        @Override
        double apply(double x) {
            return x * HARD_SIGMOID.apply(x);
        }
    },
    /** -softplus(-x). */
    LOG_SIGMOID("log_sigmoid") {
        @Override
        double apply(double x) {
            return -SOFTPLUS.apply(-x);
        }
    },
    /** (x + sqrt(x² + 4)) / 2, Keras' default b = 4. */
    SQUAREPLUS("squareplus") {
        @Override
        double apply(double x) {
            return (x + Math.sqrt(x * x + 4.0)) / 2.0;
        }
    },
    SPARSE_PLUS("sparse_plus") {
        @Override
        double apply(double x) {
            return x <= -1.0 ? 0.0 : x >= 1.0 ? x : 0.25 * (x + 1.0) * (x + 1.0);
        }
    },
    SPARSE_SIGMOID("sparse_sigmoid") {
        @Override
        double apply(double x) {
            return x <= -1.0 ? 0.0 : x >= 1.0 ? 1.0 : 0.5 * (x + 1.0);
        }
    },
    TANH_SHRINK("tanh_shrink") {
        @Override
        double apply(double x) {
            return x - Math.tanh(x);
        }
    },
    HARD_TANH("hard_tanh") {
        @Override
        double apply(double x) {
            return Math.min(1.0, Math.max(-1.0, x));
        }
    },
    /** Keras' default threshold 0.5. */
    SOFT_SHRINK("soft_shrink") {
        @Override
        double apply(double x) {
            return x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0.0;
        }
    },
    /** Keras' default threshold 0.5. */
    HARD_SHRINK("hard_shrink") {
        @Override
        double apply(double x) {
            return Math.abs(x) > 0.5 ? x : 0.0;
        }
    },
    /** x - max - log(sum(exp(x - max))) over each row. */
    LOG_SOFTMAX("log_softmax") {
        @Override
        double apply(double x) {
            throw new IllegalStateException("log_softmax is applied row-wise");
        }

        @Override
        void applyToRow(double[] values, int start, int width) {
            double max = rowMax(values, start, width);
            double sum = 0.0;
            for (int i = start; i < start + width; i++) {
                sum += Math.exp(values[i] - max);
            }
            double log = Math.log(sum);
            for (int i = start; i < start + width; i++) {
                values[i] = values[i] - max - log;
            }
        }
    },
    /** The Euclidean projection of each row onto the probability simplex (Martins and Astudillo, 2016). */
    SPARSEMAX("sparsemax") {
        @Override
        double apply(double x) {
            throw new IllegalStateException("sparsemax is applied row-wise");
        }

        @Override
        void applyToRow(double[] values, int start, int width) {
            double[] sorted = Arrays.copyOfRange(values, start, start + width);
            Arrays.sort(sorted);
            double cumulative = 0.0;
            double supportSum = 0.0;
            int support = 0;
            for (int k = 1; k <= width; k++) {
                double z = sorted[width - k];
                cumulative += z;
                if (z - (cumulative - 1.0) / k > 0) {
                    support = k;
                    // Keras 3 (every backend) sums the cumulative sums over the support, not the paper's cumsum_k
                    supportSum += cumulative;
                }
            }
            double tau = (supportSum - 1.0) / support;
            for (int i = start; i < start + width; i++) {
                values[i] = Math.max(0.0, values[i] - tau);
            }
        }
    },
    /** a · sigmoid(b) with each row split into halves a and b: the output is half as wide. */
    GLU("glu") {
        @Override
        double apply(double x) {
            throw new IllegalStateException("glu halves each row");
        }

        @Override
        public int outputWidth(int width) {
            return width / 2;
        }
    };

    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;

    private final String kerasName;

    Activation(String kerasName) {
        this.kerasName = kerasName;
    }

    /** The name Keras writes in a layer config. */
    public String kerasName() {
        return kerasName;
    }

    abstract double apply(double x);

    /** Applies the activation in place to {@code count} consecutive values from {@code offset}; not softmax. */
    void applyInPlace(double[] values, int offset, int count) {
        if (this == LINEAR) {
            return;
        }
        for (int i = offset; i < offset + count; i++) {
            values[i] = apply(values[i]);
        }
    }

    /** Applies the activation in place to one row of {@code width} values from {@code start}; not glu. */
    void applyToRow(double[] values, int start, int width) {
        applyInPlace(values, start, width);
    }

    /** True when each value depends on its whole row (softmax, log_softmax, sparsemax, glu). */
    public boolean rowWise() {
        return this == SOFTMAX || this == LOG_SOFTMAX || this == SPARSEMAX || this == GLU;
    }

    /** The width of a row after the activation: the same, except glu's half. */
    public int outputWidth(int width) {
        return width;
    }

    /** Applies the activation in place to {@code rows} consecutive rows of {@code width} values; not glu. */
    public void applyToRows(double[] values, int rows, int width) {
        if (!rowWise()) {
            applyInPlace(values, 0, rows * width);
            return;
        }
        for (int row = 0; row < rows; row++) {
            applyToRow(values, row * width, width);
        }
    }

    /** The activation of {@code rows} rows of {@code width} values, {@link #outputWidth} wide; values may be reused. */
    double[] transformRows(double[] values, int rows, int width) {
        if (this != GLU) {
            applyToRows(values, rows, width);
            return values;
        }
        if (width % 2 != 0) {
            throw new IllegalArgumentException("glu splits each row in halves, but a row has " + width + " values");
        }
        int half = width / 2;
        double[] out = new double[rows * half];
        for (int row = 0; row < rows; row++) {
            for (int j = 0; j < half; j++) {
                out[row * half + j] = values[row * width + j] * sigmoid(values[row * width + half + j]);
            }
        }
        return out;
    }

    /**
     * The activation Keras means by {@code name}; {@code kerasMajorVersion} picks hard_sigmoid's definition,
     * which changed in Keras 3.
     */
    public static Activation fromKerasName(String name, int kerasMajorVersion) {
        String key = name.toLowerCase(Locale.ROOT);
        switch (key) {
            case "silu":
                return SWISH;
            case "hard_swish":
                return HARD_SILU;
            case "threshold":
                throw new IllegalArgumentException("the activation 'threshold' needs its threshold and default_value, "
                        + "which a layer config cannot give by name (Keras cannot call it either); supported: "
                        + supportedNames());
            case "hard_sigmoid":
                return kerasMajorVersion >= 3 ? HARD_SIGMOID : HARD_SIGMOID_KERAS2;
            default:
                for (Activation activation : values()) {
                    if (activation.kerasName.equals(key) && activation != HARD_SIGMOID_KERAS2) {
                        return activation;
                    }
                }
                throw new IllegalArgumentException("unknown activation '" + name + "'; supported: " + supportedNames());
        }
    }

    public static String supportedNames() {
        return Arrays.stream(values())
                .filter(a -> a != HARD_SIGMOID_KERAS2)
                .map(Activation::kerasName)
                .collect(Collectors.joining(", ")) + ", silu, hard_swish";
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
    }

    private static double clip(double x) {
        return Math.min(1.0, Math.max(0.0, x));
    }

    /** The largest of values[start, start + width), subtracted before exp so that it cannot overflow. */
    private static double rowMax(double[] values, int start, int width) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = start; i < start + width; i++) {
            max = Math.max(max, values[i]);
        }
        return max;
    }
}
