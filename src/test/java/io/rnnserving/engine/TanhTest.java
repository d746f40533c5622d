package io.rnnserving.engine;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TanhTest {

    @Test
    void agreesWithMathTanhWithinTwoUlpsAcrossTheRange() {
        Random random = new Random(7);
        double worstUlps = 0;
        for (int i = 0; i < 2_000_000; i++) {
            double x = switch (i % 4) {
                case 0 -> random.nextGaussian();
                case 1 -> (random.nextDouble() - 0.5) * 1.3;        // around the 0.625 switch
                case 2 -> random.nextGaussian() * 1e-6;
                default -> (random.nextDouble() - 0.5) * 60;
            };
            double expected = Math.tanh(x);
            worstUlps = Math.max(worstUlps, Math.abs(Tanh.of(x) - expected) / Math.ulp(expected));
        }
        assertThat(worstUlps).isLessThanOrEqualTo(2.0);
    }

    @Test
    void keepsTheEdgeCases() {
        assertThat(Tanh.of(0.0)).isEqualTo(0.0);
        assertThat(Double.doubleToRawLongBits(Tanh.of(-0.0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(Tanh.of(1e-300)).isEqualTo(1e-300);
        assertThat(Tanh.of(400.0)).isEqualTo(1.0);
        assertThat(Tanh.of(Double.NEGATIVE_INFINITY)).isEqualTo(-1.0);
        assertThat(Tanh.of(Double.NaN)).isNaN();
    }
}
