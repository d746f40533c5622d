package io.rnnserving.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * A float32 model's input read as floats ({@link InputValues.Floats}, what the readers now give) answers bit for bit
 * what the same input answers as doubles, which the engine narrows to floats itself (numpy's astype(float32), the
 * path every reader took before): the reference is the engine's own double-input path.
 */
class FloatInputTest {

    @Property(tries = 200)
    void floatsAnswerTheBitsOfTheSameDoublesNarrowed(
            @ForAll @IntRange(min = 0, max = 6) int firstLayers,
            @ForAll @IntRange(min = 1, max = 5) int features,
            @ForAll @IntRange(min = 1, max = 40) int units,
            @ForAll @IntRange(min = 1, max = 9) int samples,
            @ForAll @IntRange(min = 1, max = 8) int steps,
            @ForAll boolean ragged, @ForAll long seed) {
        Random random = new Random(seed);
        RecurrentModel model = RecurrentModel.of("float-input", null, features,
                layers(firstLayers, random, features, units)).withPrecision(Precision.FLOAT32);
        int[] lengths = new int[samples];
        // doubles with more digits than a float holds, some masked steps, and garbage in the padding
        double[] values = new double[samples * steps * features];
        Arrays.fill(values, Double.NaN);
        for (int n = 0; n < samples; n++) {
            lengths[n] = ragged ? 1 + random.nextInt(steps) : steps;
            for (int t = 0; t < lengths[n]; t++) {
                boolean masked = random.nextInt(6) == 0;
                for (int d = 0; d < features; d++) {
                    values[(n * steps + t) * features + d] = masked ? 0.0 : random.nextGaussian();
                }
            }
        }
        SequenceBatch doubles = new SequenceBatch(values, samples, steps, features, lengths);
        SequenceBatch floats = doubles.in(Precision.FLOAT32);

        assertThat(floats.values()).isInstanceOf(InputValues.Floats.class);
        SameBits.assertSameBits(model.predict(floats, Map.of(), true), model.predict(doubles, Map.of(), true));
    }

    @Test
    void floatsAreNarrowedAsNumpyCastsThemAndWidenedExactly() {
        double[] doubles = {0.1, -1.0 / 3, 1e-40, 3.4028235e38, 16777217, -0.0};
        InputValues floats = InputValues.of(Precision.FLOAT32, doubles);

        assertThat(((InputValues.Floats) floats).array()).containsExactly(0.1f, (float) (-1.0 / 3), (float) 1e-40,
                Float.MAX_VALUE, 16777216f, -0.0f);
        assertThat(floats.in(Precision.FLOAT64).toDoubles()).containsExactly(0.1f, (float) (-1.0 / 3),
                (float) 1e-40, Float.MAX_VALUE, 16777216f, -0.0f);
        assertThat(InputValues.of(Precision.FLOAT64, doubles).toDoubles()).isSameAs(doubles);
    }

    @Test
    void aTensorOfFloatsHandsItsOwnArrayToTheLayersThatReadFloats() {
        float[] floats = {1, 2, 3, 4};
        Tensor tensor = Tensor.sequences(floats, 2, 2, 1, new int[] {2, 2});

        assertThat(tensor.floatValues()).isSameAs(floats);
        assertThat(tensor.values()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void tokenIdsAreReadAsDoublesEvenForAFloat32Model() {
        // a whole-number check on ids as sent: 2.0000001 is no id, though it rounds to the float 2
        RecurrentModel model = RecurrentModel.of("ids", null, 1, List.of(
                EmbeddingLayer.of("embedding", new double[][] {{0.1}, {0.2}, {0.3}}, false),
                SimpleRnnLayer.of("rnn", new double[][] {{0.5}}, new double[][] {{0.1}}, null, Activation.TANH,
                        false, false, false))).withPrecision(Precision.FLOAT32);

        assertThat(model.inputPrecision()).isEqualTo(Precision.FLOAT64);
        assertThat(model.withPrecision(Precision.FLOAT64).inputPrecision()).isEqualTo(Precision.FLOAT64);
        assertThat(model.inputProblem(SequenceBatch.rectangular(new double[] {2.0000001}, 1, 1, 1))).isPresent();
    }

    /** The layers before a last Dense: each first layer that reads the batch in its own way. */
    private static List<Layer> layers(int kind, Random random, int features, int units) {
        List<Layer> layers = new ArrayList<>();
        int width = features;
        switch (kind) {
            case 0 -> layers.add(simpleRnn("rnn", random, features, units, false));
            case 1 -> layers.add(LstmLayer.of("lstm", RandomWeights.weights(random, features, 4 * units),
                    RandomWeights.weights(random, units, 4 * units), RandomWeights.vector(random, 4 * units), Activation.TANH, Activation.SIGMOID,
                    true, false, false));
            case 2 -> layers.add(GruLayer.of("gru", RandomWeights.weights(random, features, 3 * units),
                    RandomWeights.weights(random, units, 3 * units), RandomWeights.weights(random, 2, 3 * units), true, Activation.TANH,
                    Activation.SIGMOID, false, true, false));
            case 3 -> {
                layers.add(BidirectionalLayer.of("bidirectional", simpleRnn("forward", random, features, units, false),
                        simpleRnn("backward", random, features, units, true), BidirectionalLayer.MergeMode.CONCAT));
                width = 2 * units;
            }
            case 4 -> {
                layers.add(new MaskingLayer("masking", 0.0));
                layers.add(simpleRnn("rnn", random, features, units, false));
            }
            case 5 -> {
                layers.add(new TimeDistributedLayer("time_distributed",
                        DenseLayer.of("projection", RandomWeights.weights(random, features, 3), RandomWeights.vector(random, 3), Activation.TANH)));
                layers.add(simpleRnn("rnn", random, 3, units, false));
            }
            default -> {
                layers.add(DenseLayer.of("projection", RandomWeights.weights(random, features, 3), RandomWeights.vector(random, 3),
                        Activation.LINEAR));
                layers.add(simpleRnn("rnn", random, 3, units, false));
            }
        }
        if (kind != 3) {
            width = units;
        }
        layers.add(DenseLayer.of("dense", RandomWeights.weights(random, width, 2), RandomWeights.vector(random, 2), Activation.LINEAR));
        return layers;
    }

    private static SimpleRnnLayer simpleRnn(String name, Random random, int features, int units, boolean backwards) {
        return SimpleRnnLayer.of(name, RandomWeights.weights(random, features, units), RandomWeights.weights(random, units, units),
                RandomWeights.vector(random, units), Activation.TANH, false, backwards, false);
    }
}
