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
