package io.rnnserving.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.commons.math3.special.Erf;

/**
 * The activations Keras applies after a layer's affine step, computed as Keras defines them.
 * Element-wise except {@link #SOFTMAX}, which normalises each row over its last axis.
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
        public void applyToRows(double[] values, int rows, int width) {
            for (int row = 0; row < rows; row++) {
                int start = row * width;
                double max = Double.NEGATIVE_INFINITY;
                for (int i = start; i < start + width; i++) {
                    max = Math.max(max, values[i]);
                }
                double sum = 0.0;
                for (int i = start; i < start + width; i++) {
                    values[i] = Math.exp(values[i] - max);
                    sum += values[i];
                }
                for (int i = start; i < start + width; i++) {
                    values[i] /= sum;
                }
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

    /** Applies the activation in place to {@code rows} consecutive rows of {@code width} values. */
    public void applyToRows(double[] values, int rows, int width) {
        applyInPlace(values, 0, rows * width);
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
                .collect(Collectors.joining(", ")) + ", silu";
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
    }

    private static double clip(double x) {
        return Math.min(1.0, Math.max(0.0, x));
    }
}
