package io.rnnserving.engine;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarmUpTest {

    @Test
    void settlesAndChangesNoAnswer() {
        RecurrentModel model = model(32, 24);
        SequenceBatch batch = SequenceBatch.rectangular(new Random(4).doubles(3 * 5 * 24, -1, 1).toArray(), 3, 5, 24);
        double[] before = model.predict(batch).output().clone();

        WarmUp.Report report = WarmUp.run(model, Duration.ofSeconds(30));

        assertThat(report.settled()).as(report.toString()).isTrue();
        assertThat(report.passes()).isGreaterThanOrEqualTo(20);
        assertThat(model.predict(batch).output()).containsExactly(before);
    }

    @Test
    void keepsToItsBudget() {
        WarmUp.Report report = WarmUp.run(model(256, 32), Duration.ofMillis(1));
        assertThat(report.passes()).isGreaterThanOrEqualTo(1);
        assertThat(report.settled()).isFalse();
        assertThat(report.elapsed()).isLessThan(Duration.ofSeconds(5)); // one pass, however cold
    }

    @Test
    void zeroBudgetRunsNothing() {
        assertThat(WarmUp.run(model(16, 3), Duration.ZERO)).isEqualTo(new WarmUp.Report(0, Duration.ZERO, false));
    }

    private static RecurrentModel model(int units, int features) {
        Random random = new Random(units);
        SimpleRnnLayer rnn = SimpleRnnLayer.of("rnn", matrix(random, features, units), matrix(random, units, units),
                random.doubles(units, -0.1, 0.1).toArray(), Activation.TANH, false, false, false);
        DenseLayer dense = DenseLayer.of("dense", matrix(random, units, 2), new double[2], Activation.LINEAR);
        return RecurrentModel.of("warm-up", null, features, List.of(rnn, dense));
    }

    private static double[][] matrix(Random random, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextGaussian() / Math.sqrt(rows);
            }
        }
        return m;
    }
}
