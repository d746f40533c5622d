package io.rnnserving.serving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.rnnserving.engine.Activation;
import io.rnnserving.engine.DenseLayer;
import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.Layer;
import io.rnnserving.engine.MaskingLayer;
import io.rnnserving.engine.RandomWeights;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.engine.LstmLayer;
import io.rnnserving.engine.RecurrentLayer;
import io.rnnserving.engine.SimpleRnnLayer;


/** Random models and random requests for them, and the check that an answer is bit for bit another. */
final class RandomCalls {
    private RandomCalls() {
    }

    /**
     * Masking, a SimpleRNN and maybe a second SimpleRNN or an LSTM (units below and above the engine's small-matrix switch, so both kernels
     * run), maybe go_backwards or returning sequences, then a Dense.
     */
    static RecurrentModel model(Random random, int features, int units1, int units2, boolean returnSequences,
                                boolean backwards) {
        List<Layer> layers = new ArrayList<>();
        layers.add(new MaskingLayer("masking", 0.0));
        layers.add(SimpleRnnLayer.of("rnn1", RandomWeights.weights(random, features, units1), RandomWeights.weights(random, units1, units1),
                RandomWeights.vector(random, units1), Activation.TANH, units2 > 0 || returnSequences, backwards, false));
        int last = units1;
        if (units2 > 0) {
            // an LSTM half the time, so a state of two parts (h and c) is stacked and cut back too
            layers.add(random.nextBoolean()
                    ? LstmLayer.of("rnn2", RandomWeights.weights(random, units1, 4 * units2), RandomWeights.weights(random, units2, 4 * units2),
                            RandomWeights.vector(random, 4 * units2), Activation.TANH, Activation.SIGMOID, returnSequences, false,
                            false)
                    : SimpleRnnLayer.of("rnn2", RandomWeights.weights(random, units1, units2), RandomWeights.weights(random, units2, units2),
                            RandomWeights.vector(random, units2), Activation.TANH, returnSequences, false, false));
            last = units2;
        }
        layers.add(DenseLayer.of("dense", RandomWeights.weights(random, last, 3), RandomWeights.vector(random, 3), Activation.LINEAR));
        return RecurrentModel.of("random", null, features, layers);
    }

    /**
     * A request of 1 to maxSamples samples and 1 to maxSteps steps, padded with random lengths or not, with a
     * masked step now and then, initial states for some layers and trace or not. Values past the padding are
     * garbage, as a reader's spare capacity may be.
     */
    static BoundRequest call(Random random, RecurrentModel model, int maxSamples, int maxSteps) {
        int samples = 1 + random.nextInt(maxSamples);
        int steps = 1 + random.nextInt(maxSteps);
        int features = model.inputFeatures();
        boolean padded = random.nextBoolean();
        int[] lengths = new int[samples];
        double[] values = new double[samples * steps * features + random.nextInt(3) * features];
        Arrays.fill(values, Double.NaN);
        for (int n = 0; n < samples; n++) {
            lengths[n] = padded ? 1 + random.nextInt(steps) : steps;
            for (int t = 0; t < lengths[n]; t++) {
                boolean masked = random.nextInt(8) == 0;
                for (int d = 0; d < features; d++) {
                    values[(n * steps + t) * features + d] = masked ? 0.0 : random.nextDouble() * 4 - 2;
                }
            }
        }
        Map<String, LayerState> states = new LinkedHashMap<>();
        for (RecurrentLayer layer : model.recurrentLayers()) {
            if (layer.acceptsInitialState() && random.nextBoolean()) {
                Map<String, double[]> parts = new LinkedHashMap<>();
                layer.stateParts().forEach(part -> parts.put(part, RandomWeights.vector(random, samples * layer.units())));
                states.put(layer.name(), new LayerState(parts));
            }
        }
        return new BoundRequest(new SequenceBatch(values, samples, steps, features, lengths), states,
                random.nextBoolean());
    }

    static ForwardResult alone(RecurrentModel model, BoundRequest call) {
        return model.predictFromStates(call.batch(), call.statePartsByLayer(), call.recordStates());
    }

    /** Every number, every shape, every state: equal as bits (NaN, -0.0 and all). */
}
