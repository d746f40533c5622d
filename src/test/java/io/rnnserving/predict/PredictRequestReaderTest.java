package io.rnnserving.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;

import io.rnnserving.engine.Activation;
import io.rnnserving.engine.InputValues;
import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.engine.SimpleRnnLayer;
import io.rnnserving.serving.ModelInput;
import io.rnnserving.serving.RequestBinder;
import io.rnnserving.serving.RequestLimits;
import org.junit.jupiter.api.Test;

/**
 * The /predict reader puts a float32 model's numbers straight into floats, each the float nearest the correctly
 * rounded double of its text (numpy's astype(float32) of the parsed double; the reference is Java's own
 * {@code (float) Double.parseDouble}), and sizes its storage from the body's length and its first sample.
 */
class PredictRequestReaderTest {
    private static final int D = 3;
    private static final RecurrentModel FLOAT64 = RecurrentModel.of("reader", null, D, List.of(
            SimpleRnnLayer.of("rnn", new double[D][2], new double[2][2], null, Activation.TANH, false, false, false)))
            .withPrecision(Precision.FLOAT64);
    private static final RecurrentModel FLOAT32 = FLOAT64.withPrecision(Precision.FLOAT32);

    @Test
    void aFloat32ModelsNumbersAreReadAsTheFloatOfTheirDouble() {
        // more digits than a float holds, halfway cases of float (not of double), a subnormal float, -0
        String[] texts = {"0.1", "-0.33333333333333331", "1.00000005960464477539062500001", "1.000000059604644775390625",
                "1e-40", "-0.0", "3.4028235e38", "16777217", "2.5e-3", "123456.789012345678"};
        StringJoiner steps = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < texts.length; i += D) {
            StringJoiner step = new StringJoiner(", ", "[", "]");
            for (int d = 0; d < D; d++) {
                step.add(texts[Math.min(i + d, texts.length - 1)]);
            }
            steps.add(step.toString());
        }
        String body = "{\"x\": [" + steps + "]}";

        ModelInput.Ragged x = read(FLOAT32, body, body.length());
        ModelInput.Ragged doubles = read(FLOAT64, body, body.length());

        assertThat(x.values()).isInstanceOf(InputValues.Floats.class);
        assertThat(doubles.values()).isInstanceOf(InputValues.Doubles.class);
        float[] floats = ((InputValues.Floats) x.values()).array();
        for (int i = 0; i < texts.length; i++) {
            float expected = (float) Double.parseDouble(texts[i]);
            assertThat(Float.floatToRawIntBits(floats[i])).as(texts[i]).isEqualTo(Float.floatToRawIntBits(expected));
            assertThat(doubles.values().get(i)).as(texts[i]).isEqualTo(Double.parseDouble(texts[i]));
        }
    }

    @Test
    void aShortFirstSampleThenLongOnesIsSizedByItsBytesNotItsSteps() {
        Random random = new Random(1);
        double[][][] x = new double[40][][];
        x[0] = sequence(random, 1, 9);
        for (int n = 1; n < x.length; n++) {
            x[n] = sequence(random, 50, 9);
        }
        String body = body(x);

        ModelInput.Ragged read = read(FLOAT32, body, body.length());

        int values = values(x);
        assertSameNumbers(read, x);
        // the estimate is per byte, so one short sample predicts the long ones: no doubling's spare half
        assertThat(read.values().length()).isBetween(values, values + values / 4);
    }

    @Test
    void aFirstSampleOfShortNumbersOverestimatesNoMoreThanTheBodyCouldHold() {
        Random random = new Random(2);
        double[][][] x = new double[30][][];
        // 0 and 1 take two bytes a number; the later samples' numbers take about twenty
        x[0] = new double[40][D];
        for (int n = 1; n < x.length; n++) {
            x[n] = sequence(random, 40, 17);
        }
        String body = body(x);

        ModelInput.Ragged read = read(FLOAT32, body, body.length());

        assertSameNumbers(read, x);
        // a number takes at least two bytes, a digit and a separator
        assertThat(read.values().length()).isBetween(values(x), body.length() / 2);
    }

    @Test
    void aFirstSampleOfLongNumbersThenShortOnesReEstimatesAsTheEstimateRunsOut() {
        Random random = new Random(3);
        double[][][] x = new double[30][][];
        x[0] = sequence(random, 40, 17);
        for (int n = 1; n < x.length; n++) {
            x[n] = new double[40][D];
        }
        String body = body(x);

        ModelInput.Ragged read = read(FLOAT32, body, body.length());

        int values = values(x);
        assertSameNumbers(read, x);
        // the first sample's long numbers predict far fewer than come; each sample read re-estimates, with no
        // doubling's spare half
        assertThat(read.values().length()).isBetween(values, values + values / 4);
    }

    @Test
    void aBodyOfUnknownLengthIsReadByGrowing() {
        Random random = new Random(4);
        double[][][] x = new double[20][][];
        for (int n = 0; n < x.length; n++) {
            x[n] = sequence(random, 1 + random.nextInt(60), 9);
        }

        ModelInput.Ragged read = read(FLOAT32, body(x), -1);

        assertSameNumbers(read, x);
    }

    @Test
    void aRaggedFloat32BatchIsPaddedInFloats() {
        Random random = new Random(5);
        double[][][] x = {sequence(random, 2, 9), sequence(random, 5, 9), sequence(random, 1, 9)};
        String body = body(x);

        SequenceBatch batch = new RequestBinder(FLOAT32, RequestLimits.DEFAULTS)
                .bind(new PredictRequestReader(new RequestBinder(FLOAT32, RequestLimits.DEFAULTS),
                        RequestLimits.DEFAULTS).read(stream(body), body.length()).input(), PredictRequestReader.POINTERS)
                .batch();

        assertThat(batch.values()).isInstanceOf(InputValues.Floats.class);
        assertThat(batch.steps()).isEqualTo(5);
        assertThat(batch.lengths()).containsExactly(2, 5, 1);
        for (int n = 0; n < x.length; n++) {
            for (int t = 0; t < x[n].length; t++) {
                for (int d = 0; d < D; d++) {
                    assertThat(batch.values().get((n * 5 + t) * D + d)).isEqualTo((float) x[n][t][d]);
                }
            }
        }
    }

    private static ModelInput.Ragged read(RecurrentModel model, String body, long contentLength) {
        RequestBinder binder = new RequestBinder(model, RequestLimits.DEFAULTS);
        return (ModelInput.Ragged) new PredictRequestReader(binder, RequestLimits.DEFAULTS)
                .read(stream(body), contentLength).input().x();
    }

    private static ByteArrayInputStream stream(String body) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Every number as the float of its double, in order, samples back to back. */
    private static void assertSameNumbers(ModelInput.Ragged read, double[][][] x) {
        int[] steps = new int[x.length];
        int i = 0;
        for (int n = 0; n < x.length; n++) {
            steps[n] = x[n].length;
            for (double[] step : x[n]) {
                for (double value : step) {
                    assertThat(read.values().get(i)).as("number %d", i).isEqualTo((float) value);
                    i++;
                }
            }
        }
        assertThat(read.stepsPerSample()).containsExactly(steps);
    }

    private static int values(double[][][] x) {
        int count = 0;
        for (double[][] sample : x) {
            count += sample.length * D;
        }
        return count;
    }

    /** Random numbers of {@code digits} significant digits. */
    private static double[][] sequence(Random random, int steps, int digits) {
        double[][] sample = new double[steps][D];
        for (double[] step : sample) {
            for (int d = 0; d < D; d++) {
                step[d] = Double.parseDouble(String.format("%." + (digits - 1) + "e", random.nextGaussian()));
            }
        }
        return sample;
    }

    private static String body(double[][][] x) {
        StringJoiner samples = new StringJoiner(", ", "{\"x\": [", "]}");
        for (double[][] sample : x) {
            StringJoiner steps = new StringJoiner(", ", "[", "]");
            for (double[] step : sample) {
                StringJoiner numbers = new StringJoiner(", ", "[", "]");
                for (double value : step) {
                    numbers.add(value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value));
                }
                steps.add(numbers.toString());
            }
            samples.add(steps.toString());
        }
        return samples.toString();
    }
}
