package io.rnnserving.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The float32 kernels against a naive reference and against each other, bit for bit, and a float32 model's answer
 * against the batch, row, kernel and thread split it ran in.
 */
class FloatStepKernelTest {
    private static final int MACHINE_BITS = FloatVector.SPECIES_PREFERRED.vectorBitSize();

    /** Every float kernel this machine runs in hardware: plain Java, 256-bit, and 512-bit where it has AVX-512. */
    static List<FloatStepKernel> floatKernels() {
        List<FloatStepKernel> kernels = new ArrayList<>();
        kernels.add(new ScalarFloatStepKernel("plain Java"));
        if (MACHINE_BITS >= 256) {
            kernels.add(new Float256StepKernel("test"));
        }
        if (MACHINE_BITS >= 512) {
            kernels.add(new Float512StepKernel("test"));
        }
        return kernels;
    }

    @Test
    void theSettingPicksTheWidthAndFallsBackToTheMachinesOwn() {
        FloatStepKernel auto = FloatStepKernel.select(true, 0);
        assertThat(auto).isInstanceOf(MACHINE_BITS >= 512 ? Float512StepKernel.class : Float256StepKernel.class);
        assertThat(auto.description()).contains("the machine's widest");
        assertThat(FloatStepKernel.select(true, 256)).isInstanceOf(Float256StepKernel.class);
        assertThat(FloatStepKernel.select(true, 256).description()).contains("rnn-serving.engine.vector-bits=256");
        assertThat(FloatStepKernel.select(true, 512)).isInstanceOf(MACHINE_BITS >= 512 ? Float512StepKernel.class
                : Float256StepKernel.class);
        assertThat(FloatStepKernel.select(false, 512)).isInstanceOf(ScalarFloatStepKernel.class);
        assertThat(EngineSettings.vectorBits("auto")).isZero();
        assertThat(EngineSettings.vectorBits("512")).isEqualTo(512);
        assertThatThrownBy(() -> EngineSettings.vectorBits("128")).hasMessageContaining("auto, 256 or 512");
        assertThat(RecurrentModel.of("m", 1, 1, List.of(SimpleRnnLayer.of("rnn", new double[][] {{1.0}},
                        new double[][] {{0.0}}, null, Activation.TANH, false, false, false)))
                .withSettings(new EngineSettings(1, true, 256)).withPrecision(Precision.FLOAT32).stepKernel())
                .startsWith("SIMD float kernel").contains("256-bit");
    }

    @Test
    void everyFloatKernelGivesTheNaiveFmaChainThenTheAddendThenTanhBitForBit() {
        SplittableRandom random = new SplittableRandom(18);
        for (int trial = 0; trial < 400; trial++) {
            int rows = 1 + random.nextInt(trial < 100 ? 14 : 40);
            int inner = 1 + random.nextInt(trial % 3 == 0 ? 300 : 40);
            int cols = trial % 4 == 0 ? 16 * (1 + random.nextInt(20)) : 1 + random.nextInt(200);
            // rows of a out of order and with gaps, as a step's rows of x are
            int stride = inner + random.nextInt(5);
            float[] a = floats(random, (rows + 3) * stride);
            int[] starts = new int[rows];
            for (int r = 0; r < rows; r++) {
                starts[r] = ((rows - 1 - r) + random.nextInt(3)) * stride;
            }
            float[] b = floats(random, inner * cols);
            // no addend, a bias row added to every row, a matrix laid out like c, or c itself
            int addendKind = trial % 4;
            int addendRowStride = addendKind == 1 ? 0 : cols;
            float[] c0 = floats(random, rows * cols);
            float[] addend = switch (addendKind) {
                case 0 -> null;
                case 1 -> floats(random, cols);
                case 2 -> floats(random, rows * cols);
                default -> c0;
            };
            boolean tanh = trial % 5 < 2;
            float[] expected = new float[rows * cols];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    float sum = 0.0f;
                    for (int k = 0; k < inner; k++) {
                        sum = Math.fma(a[starts[r] + k], b[k * cols + j], sum);
                    }
                    float value = addend == null ? sum : sum + addend[r * addendRowStride + j];
                    expected[r * cols + j] = tanh ? FloatTanh.of(value) : value;
                }
            }
            for (FloatStepKernel kernel : floatKernels()) {
                float[] actual = c0.clone();
                kernel.products(a, starts, rows, inner, b, cols, addendKind == 3 ? actual : addend, addendRowStride,
                        tanh, actual);
                assertThat(actual).as("%s, %d rows, %d×%d, addend %d, tanh %s", kernel.description(), rows, inner,
                        cols, addendKind, tanh).containsExactly(expected);
            }
        }
    }

    @Test
    void simdFloatTanhEqualsPlainJavaBitForBitAndTanhWithinAFewUlp() {
        SplittableRandom random = new SplittableRandom(7);
        float[] values = new float[100_003]; // not a whole number of vectors: the tail takes the plain path
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) switch (i % 4) {
                case 0 -> random.nextDouble(-3, 3);
                case 1 -> random.nextDouble(-0.001, 0.001);   // around the 0.0004 switch
                case 2 -> random.nextDouble(-12, 12);          // past the clamp
                default -> random.nextDouble(-8, 8);
            };
        }
        float[] edges = {0.0f, -0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, FloatTanh.TINY, -FloatTanh.TINY,
                Math.nextDown(FloatTanh.TINY), FloatTanh.CLAMP, -FloatTanh.CLAMP, 1e30f, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.MAX_VALUE};
        System.arraycopy(edges, 0, values, 0, edges.length);
        float[] plain = values.clone();
        FloatTanh.inPlace(plain, 0, plain.length);
        for (FloatStepKernel kernel : floatKernels()) {
            float[] simd = values.clone();
            kernel.tanhInPlace(simd, 0, simd.length);
            for (int i = 0; i < values.length; i++) {
                assertThat(Float.floatToRawIntBits(simd[i])).as("%s: tanh(%s)", kernel.description(), values[i])
                        .isEqualTo(Float.floatToRawIntBits(plain[i]));
            }
        }
        for (int i = 0; i < values.length; i++) {
            double exact = Math.tanh(values[i]);
            // Eigen's float tanh: a few ulp of 1 near saturation, a few ulp of the value elsewhere
            assertThat((double) plain[i]).as("tanh(%s)", values[i])
                    .isCloseTo(exact, org.assertj.core.data.Offset.offset(Math.max(4 * Math.ulp((float) exact), 3e-7)));
        }
        assertThat(Float.floatToRawIntBits(plain[1])).as("tanh(-0) keeps its sign").isEqualTo(0x80000000);
    }

    @Test
    void theTwoWidthsAreOneSourceWithTheWidthChanged() throws IOException {
        Path dir = Path.of("src/main/java/io/rnnserving/engine");
        String wide = body(Files.readString(dir.resolve("Float512StepKernel.java")));
        String narrow = body(Files.readString(dir.resolve("Float256StepKernel.java")));
        assertThat(wide.replace("512", "256")).isEqualTo(narrow);
    }

    @Test
    void aFloat32AnswerDoesNotDependOnTheBatchTheKernelOrTheThreads() {
        SplittableRandom random = new SplittableRandom(32);
        int features = 7;
        int steps = 9;
        RecurrentModel model = RecurrentModel.of("float32", null, features, List.of(
                SimpleRnnLayer.of("rnn", matrix(random, features, 64), matrix(random, 64, 64), vector(random, 64),
                        Activation.TANH, true, false, false),
                LstmLayer.of("lstm", matrix(random, 64, 4 * 19), matrix(random, 19, 4 * 19), vector(random, 4 * 19),
                        Activation.TANH, Activation.SIGMOID, true, true, false),
                GruLayer.of("gru", matrix(random, 19, 3 * 33), matrix(random, 33, 3 * 33),
                        new double[][] {vector(random, 99), vector(random, 99)}, true, Activation.TANH,
                        Activation.SIGMOID, true, false, false),
                GruLayer.of("gru_before", matrix(random, 33, 3 * 17), matrix(random, 17, 3 * 17),
                        new double[][] {vector(random, 51)}, false, Activation.TANH, Activation.HARD_SIGMOID,
                        false, false, false),
                DenseLayer.of("dense", matrix(random, 17, 5), vector(random, 5), Activation.SOFTMAX)))
                .withPrecision(Precision.FLOAT32);
        int samples = 150; // enough work for SampleSlices to split it three ways
        double[][][] x = new double[samples][][];
        for (int n = 0; n < samples; n++) {
            x[n] = new double[1 + random.nextInt(steps)][];
            for (int t = 0; t < x[n].length; t++) {
                x[n][t] = random.doubles(features, -2, 2).toArray();
            }
        }
        SequenceBatch batch = SequenceBatch.of(x);
        ForwardResult reference = run(model, new ScalarFloatStepKernel("plain Java"), 1, batch);
        assertAllFloats(reference.output());
        reference.finalStateParts().values()
                .forEach(parts -> parts.values().forEach(FloatStepKernelTest::assertAllFloats));
        reference.stateTraces().values().forEach(parts -> parts.values()
                .forEach(trace -> assertAllFloats(trace.values())));

        int width = model.outputWidth();
        for (FloatStepKernel kernel : floatKernels()) {
            for (int threads : new int[] {1, 2, 3, 5}) {
                ForwardResult whole = run(model, kernel, threads, batch);
                assertThat(whole.output()).as("%s, %d threads", kernel.description(), threads)
                        .containsExactly(reference.output());
                assertThat(whole.finalStateParts().get("lstm").get("c")).containsExactly(
                        reference.finalStateParts().get("lstm").get("c"));
            }
            for (int n = 0; n < samples; n += 13) {
                double[][][] alone = {x[n]};
                double[] single = run(model, kernel, 1, SequenceBatch.of(alone)).output();
                double[] inBatch = java.util.Arrays.copyOfRange(reference.output(), n * width, (n + 1) * width);
                assertThat(single).as("sample %d alone on %s", n, kernel.description()).containsExactly(inBatch);
            }
        }
    }

    @Test
    void aFloat32ModelReadsItsInputAsNumpyCastsToFloat32() {
        SimpleRnnLayer identity = SimpleRnnLayer.of("rnn", new double[][] {{1.0}}, new double[][] {{0.0}}, null,
                Activation.LINEAR, false, false, false);
        RecurrentModel model = RecurrentModel.of("cast", 1, 1, List.of(identity)).withPrecision(Precision.FLOAT32);
        double[] values = {0.1, 1.0 / 3, 1e-46, 3.4028235677973366e38, -2.5};
        ForwardResult result = model.predict(SequenceBatch.rectangular(values, values.length, 1, 1));
        for (int i = 0; i < values.length; i++) {
            assertThat(result.output()[i]).isEqualTo((double) (float) values[i]);
        }
    }

    private static ForwardResult run(RecurrentModel model, FloatStepKernel kernel, int threads, SequenceBatch batch) {
        return model.withExecution(Execution.float32(kernel, threads)).predictFromStates(batch, Map.of(), true);
    }

    private static void assertAllFloats(double[] values) {
        for (double v : values) {
            assertThat(v).isEqualTo((double) (float) v);
        }
    }

    private static String body(String source) {
        return source.substring(source.indexOf("final class"));
    }

    private static float[] floats(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }

    static double[][] matrix(SplittableRandom random, int rows, int cols) {
        double[][] m = new double[rows][];
        for (int r = 0; r < rows; r++) {
            m[r] = vector(random, cols);
            for (int j = 0; j < cols; j++) {
                m[r][j] *= 1.5 / Math.sqrt(rows);
            }
        }
        return m;
    }

    static double[] vector(SplittableRandom random, int count) {
        return random.doubles(count, -0.5, 0.5).toArray();
    }
}
