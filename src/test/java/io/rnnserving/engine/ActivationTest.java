package io.rnnserving.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Values from Keras 3.15 / TensorFlow keras.activations, computed in float64. */
class ActivationTest {

    private static double at(Activation activation, double x) {
        double[] v = {x};
        activation.applyToRows(v, 1, 1);
        return v[0];
    }

    @Test
    void elementWiseActivationsFollowKerasDefinitions() {
        assertThat(at(Activation.TANH, 0.5)).isCloseTo(0.46211715726000974, within(1e-15));
        assertThat(at(Activation.RELU, -1.5)).isZero();
        assertThat(at(Activation.SIGMOID, -40)).isCloseTo(4.248354255291589e-18, within(1e-30));
        assertThat(at(Activation.HARD_SIGMOID, 1.0)).isCloseTo(0.6666666666666666, within(1e-15));
        assertThat(at(Activation.HARD_SIGMOID_KERAS2, 1.0)).isCloseTo(0.7, within(1e-15));
        assertThat(at(Activation.SOFTPLUS, 800)).isEqualTo(800.0);
        assertThat(at(Activation.SOFTPLUS, 1.0)).isCloseTo(1.3132616875182228, within(1e-15));
        assertThat(at(Activation.SOFTSIGN, 3.0)).isCloseTo(0.75, within(1e-15));
        assertThat(at(Activation.ELU, -1.0)).isCloseTo(-0.6321205588285577, within(1e-15));
        assertThat(at(Activation.SELU, -1.0)).isCloseTo(-1.1113307378125625, within(1e-12));
        assertThat(at(Activation.SWISH, 1.0)).isCloseTo(0.7310585786300049, within(1e-15));
        assertThat(at(Activation.GELU, 1.0)).isCloseTo(0.8413447460685429, within(1e-12));
        assertThat(at(Activation.EXPONENTIAL, 1.0)).isCloseTo(Math.E, within(1e-15));
    }

    /** Keras 3's definitions (keras/src/activations/activations.py, backend/numpy/nn.py), worked by hand. */
    @Test
    void theActivationsKeras3AddedFollowTheirDefinitions() {
        assertThat(at(Activation.LEAKY_RELU, -2.0)).isCloseTo(-0.4, within(1e-15));
        assertThat(at(Activation.LEAKY_RELU, 3.0)).isEqualTo(3.0);
        assertThat(at(Activation.RELU6, 7.0)).isEqualTo(6.0);
        assertThat(at(Activation.CELU, -1.0)).isCloseTo(Math.exp(-1) - 1, within(1e-15));
        assertThat(at(Activation.MISH, 1.0)).isCloseTo(Math.tanh(Math.log(1 + Math.E)), within(1e-15));
        assertThat(at(Activation.HARD_SILU, 1.0)).isCloseTo(4.0 / 6.0, within(1e-15));
        assertThat(at(Activation.HARD_SILU, -4.0)).isZero();
        assertThat(at(Activation.LOG_SIGMOID, 0.0)).isCloseTo(-Math.log(2), within(1e-15));
        assertThat(at(Activation.SQUAREPLUS, 0.0)).isEqualTo(1.0);
        assertThat(at(Activation.SPARSE_PLUS, 0.0)).isEqualTo(0.25);
        assertThat(at(Activation.SPARSE_SIGMOID, 0.5)).isEqualTo(0.75);
        assertThat(at(Activation.TANH_SHRINK, 1.0)).isCloseTo(1 - Math.tanh(1), within(1e-15));
        assertThat(at(Activation.HARD_TANH, -2.0)).isEqualTo(-1.0);
        assertThat(at(Activation.SOFT_SHRINK, 0.7)).isCloseTo(0.2, within(1e-15));
        assertThat(at(Activation.SOFT_SHRINK, -0.3)).isZero();
        assertThat(at(Activation.HARD_SHRINK, 0.3)).isZero();
        assertThat(at(Activation.HARD_SHRINK, -0.7)).isEqualTo(-0.7);
    }

    @Test
    void rowWiseActivationsWorkOnEachRow() {
        double[] logSoftmax = {1, 2, 3};
        Activation.LOG_SOFTMAX.applyToRows(logSoftmax, 1, 3);
        double logSum = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertThat(logSoftmax).containsExactly(new double[] {1 - logSum, 2 - logSum, 3 - logSum}, within(1e-15));
        // sorted 0.5, 0.4, -1: the support is the first two; Keras 3 (keras.ops.sparsemax, every backend) takes
        // tau = (sum of the support's cumulative sums - 1) / k = (0.5 + 0.9 - 1) / 2, not the paper's (0.9 - 1) / 2
        double[] sparsemax = {0.5, 0.4, -1, 1, 2, 3};
        Activation.SPARSEMAX.applyToRows(sparsemax, 2, 3);
        assertThat(sparsemax).containsExactly(new double[] {0.3, 0.2, 0, 0, 0, 1}, within(1e-15));
        double[] glu = Activation.GLU.transformRows(new double[] {1, 2, 3, 4}, 1, 4);
        assertThat(glu).containsExactly(new double[] {1 / (1 + Math.exp(-3)), 2 / (1 + Math.exp(-4))}, within(1e-15));
    }

    /** The names keras/src/activations/__init__.py registers (ALL_OBJECTS and its aliases), Keras 3.15. */
    @Test
    void everyNameKeras3AcceptsResolves() {
        for (String name : new String[] {"relu", "leaky_relu", "relu6", "softmax", "celu", "elu", "selu", "softplus",
                "softsign", "squareplus", "soft_shrink", "sparse_plus", "silu", "gelu", "glu", "tanh", "tanh_shrink",
                "sigmoid", "sparse_sigmoid", "exponential", "hard_sigmoid", "hard_silu", "hard_tanh", "hard_shrink",
                "linear", "mish", "log_softmax", "log_sigmoid", "sparsemax", "swish", "hard_swish"}) {
            assertThat(Activation.fromKerasName(name, 3)).as(name).isNotNull();
        }
    }

    @Test
    void softmaxNormalisesEachRow() {
        double[] rows = {1, 2, 3, 1000, 1000, 1000};
        Activation.SOFTMAX.applyToRows(rows, 2, 3);
        assertThat(rows[0]).isCloseTo(0.09003057317038046, within(1e-15));
        assertThat(rows[2]).isCloseTo(0.6652409557748219, within(1e-15));
        assertThat(rows[3]).isCloseTo(1.0 / 3, within(1e-15));
    }

    @Test
    void kerasNamesResolveByVersion() {
        assertThat(Activation.fromKerasName("silu", 3)).isEqualTo(Activation.SWISH);
        assertThat(Activation.fromKerasName("hard_sigmoid", 2)).isEqualTo(Activation.HARD_SIGMOID_KERAS2);
        assertThat(Activation.fromKerasName("hard_sigmoid", 3)).isEqualTo(Activation.HARD_SIGMOID);
        assertThat(Activation.fromKerasName("hard_swish", 3)).isEqualTo(Activation.HARD_SILU);
        assertThatThrownBy(() -> Activation.fromKerasName("gelu_fast", 3))
                .hasMessageContaining("unknown activation 'gelu_fast'");
        assertThatThrownBy(() -> Activation.fromKerasName("threshold", 3)).hasMessageContaining("default_value");
    }
}
