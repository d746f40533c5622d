package io.rnnserving.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;
import io.rnnserving.NotebookReference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StepKernelTest {
    /** Recurrent sizes (EJML keeps this order from 15 columns up), plus shapes that leave rows past the six-row tiles and columns past whole vectors. */
    private static final int[][] SHAPES = {{7, 32, 256}, {5, 256, 256}, {4, 17, 15}, {3, 64, 100}, {13, 256, 256},
            {12, 20, 37}, {1, 3, 24}, {6, 5, 16}, {25, 33, 31}, {18, 16, 40}, {7, 9, 72}};

    @Test
    void bothKernelsEqualEjmlMultAddBitForBit() {
        for (StepKernel kernel : List.of(new ScalarStepKernel("scalar"), new VectorStepKernel(true), new VectorStepKernel(false))) {
            Random random = new Random(3);
            for (int[] shape : SHAPES) {
                int rows = shape[0];
                int inner = shape[1];
                int cols = shape[2];
                DMatrixRMaj a = RandomMatrices_DDRM.rectangle(rows, inner, -1, 1, random);
                DMatrixRMaj b = RandomMatrices_DDRM.rectangle(inner, cols, -1, 1, random);
                DMatrixRMaj expected = RandomMatrices_DDRM.rectangle(rows, cols, -1, 1, random);
                double[] actual = expected.data.clone();
                CommonOps_DDRM.multAdd(a, b, expected);

                int[] starts = new int[rows];
                for (int r = 0; r < rows; r++) {
                    starts[r] = r * inner;
                }
                kernel.addProducts(a.data, starts, rows, inner, b.data, cols, actual);
                assertThat(actual).as("%s, %d×%d·%d×%d", kernel.description(), rows, inner, inner, cols)
                        .containsExactly(expected.data);
            }
        }
    }

    @Test
    void bothDoubleKernelsAgreeBitForBitOnRandomShapesAndRowStarts() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(64);
        List<StepKernel> kernels = List.of(new ScalarStepKernel("scalar"), new VectorStepKernel(true),
                new VectorStepKernel(false));
        for (int trial = 0; trial < 200; trial++) {
            int rows = 1 + random.nextInt(trial < 60 ? 8 : 40);
            int inner = 1 + random.nextInt(trial % 3 == 0 ? 300 : 40);
            int cols = trial % 4 == 0 ? 8 * (1 + random.nextInt(40)) : 1 + random.nextInt(200);
            int stride = inner + random.nextInt(5);
            double[] a = random.doubles((rows + 3) * stride, -1, 1).toArray();
            int[] starts = new int[rows];
            for (int r = 0; r < rows; r++) {
                starts[r] = ((rows - 1 - r) + random.nextInt(3)) * stride;
            }
            double[] b = random.doubles(inner * cols, -1, 1).toArray();
            double[] c = random.doubles(rows * cols, -1, 1).toArray();
            double[] reference = c.clone();
            kernels.get(0).addProducts(a, starts, rows, inner, b, cols, reference);
            for (StepKernel kernel : kernels.subList(1, kernels.size())) {
                double[] actual = c.clone();
                kernel.addProducts(a, starts, rows, inner, b, cols, actual);
                assertThat(actual).as("%s, %d rows, %d×%d", kernel.description(), rows, inner, cols)
                        .containsExactly(reference);
            }
        }
    }

    @Test
    void simdTanhEqualsScalarTanhBitForBit() {
        Random random = new Random(11);
        double[] values = new double[200_003]; // not a whole number of vectors: the tail takes the scalar path
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (i % 5) {
                case 0 -> random.nextGaussian();
                case 1 -> (random.nextDouble() - 0.5) * 1.3;        // around the 0.625 switch
                case 2 -> random.nextGaussian() * 1e-6;
                case 3 -> (random.nextDouble() - 0.5) * 60;         // past saturation
                default -> (random.nextDouble() - 0.5) * 6;
            };
        }
        double[] edges = {0.0, -0.0, 1e-300, -1e-300, Double.MIN_VALUE, 0.625, -0.625, Math.nextUp(0.625), 20.0,
                -20.0, 19.999, 400.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE};
        System.arraycopy(edges, 0, values, 0, edges.length);
        double[] scalar = values.clone();
        double[] simd = values.clone();
        new ScalarStepKernel("scalar").tanhInPlace(scalar, 0, scalar.length);
        new VectorStepKernel().tanhInPlace(simd, 0, simd.length);
        for (int i = 0; i < values.length; i++) {
            assertThat(Double.doubleToRawLongBits(simd[i])).as("tanh(%s)", values[i])
                    .isEqualTo(Double.doubleToRawLongBits(scalar[i]));
        }
    }

    @Test
    void rowsAreReadWhereverTheyStart() {
        Random random = new Random(5);
        int rows = 9;
        int inner = 24;
        int cols = 40;
        double[] batch = random.doubles(rows * 3 * inner, -1, 1).toArray();
        double[] b = random.doubles(inner * cols, -1, 1).toArray();
        int[] starts = new int[rows];
        double[] packed = new double[rows * inner];
        for (int r = 0; r < rows; r++) {
            starts[r] = ((rows - 1 - r) * 3 + 1) * inner; // out of order, with gaps, as a step's rows of x are
            System.arraycopy(batch, starts[r], packed, r * inner, inner);
        }
        DMatrixRMaj expected = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.mult(DMatrixRMaj.wrap(rows, inner, packed), DMatrixRMaj.wrap(inner, cols, b), expected);

        for (StepKernel kernel : List.of(new ScalarStepKernel("scalar"), new VectorStepKernel(true), new VectorStepKernel(false))) {
            double[] actual = new double[rows * cols];
            kernel.addProducts(batch, starts, rows, inner, b, cols, actual);
            assertThat(actual).as(kernel.description()).containsExactly(expected.data);
        }
    }

    @Test
    void selectsSimdWhenTheVectorModuleIsLoaded() {
        // the build starts test JVMs with --add-modules jdk.incubator.vector, as the README's commands do
        assertThat(StepKernel.select(true)).isInstanceOf(VectorStepKernel.class);
        assertThat(NotebookReference.defaultModel().stepKernel()).startsWith("SIMD");
    }

    @Test
    void theVectorSettingSwitchesSimdOff() {
        RecurrentModel plain = NotebookReference.defaultModel().withSettings(new EngineSettings(2, false));

        assertThat(StepKernel.select(false)).isInstanceOf(ScalarStepKernel.class);
        assertThat(plain.stepKernel()).isEqualTo("scalar step kernel (rnn-serving.engine.vector=false)");
    }

    @Test
    void fallsBackToScalarInAJvmWithoutTheModule() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KernelProbe.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
        assertThat(output).contains("scalar step kernel (start the JVM with --add-modules jdk.incubator.vector for SIMD)")
                .contains("answer 0.4621171572600"); // tanh(0.5)
    }

    /** Run in a JVM without the Vector API: reports the kernel and runs a 16-unit layer on it. */
    static final class KernelProbe {
        public static void main(String[] args) {
            System.out.println(StepKernel.select(true).description());
            double[][] identity = new double[16][16];
            for (int i = 0; i < 16; i++) {
                identity[i][i] = 1;
            }
            SimpleRnnLayer layer = SimpleRnnLayer.of("rnn", new double[][] {new double[16]}, identity,
                    null, Activation.TANH, false, false, false);
            // one step of tanh(0.5) from h0 = 0.5 with x = 0 and U = I
            Tensor input = Tensor.sequences(new double[1], 1, 1, 1, new int[] {1}, null);
            ForwardContext context = new ForwardContext(Execution.DEFAULT,
                    java.util.Map.of("rnn", java.util.Map.of("h", filled(16, 0.5))), false);
            System.out.println("answer " + layer.forward(input, context).values()[0]);
        }

        private static double[] filled(int length, double value) {
            double[] values = new double[length];
            java.util.Arrays.fill(values, value);
            return values;
        }
    }
}
