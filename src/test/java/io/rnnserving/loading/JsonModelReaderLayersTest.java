package io.rnnserving.loading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.rnnserving.engine.Activation;
import io.rnnserving.engine.BatchNormalizationLayer;
import io.rnnserving.engine.BidirectionalLayer;
import io.rnnserving.engine.DenseLayer;
import io.rnnserving.engine.EmbeddingLayer;
import io.rnnserving.engine.FlattenLayer;
import io.rnnserving.engine.GruLayer;
import io.rnnserving.engine.InputProblem;
import io.rnnserving.engine.LayerNormalizationLayer;
import io.rnnserving.engine.LstmLayer;
import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.engine.TimeDistributedLayer;
import io.rnnserving.engine.WarmUp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON format's new layer types read into the same layers as built from the same arrays directly, with the
 * parameter counts Keras' {@code model.summary()} prints (worked by hand from Keras' formulas in each test).
 */
class JsonModelReaderLayersTest {
    @TempDir
    Path dir;

    /** Deterministic weights, small enough to keep every activation away from saturation. */
    private static double[][] weights(int rows, int columns, int salt) {
        double[][] w = new double[rows][columns];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                w[i][j] = 0.5 * Math.sin(salt * 7.1 + i * 3.3 + j * 1.7);
            }
        }
        return w;
    }

    private static String json(double[][] m) {
        return Arrays.deepToString(m);
    }

    private static String json(double[] v) {
        return Arrays.toString(v);
    }

    private LoadedModel read(String json) throws IOException {
        Path file = dir.resolve("model.json");
        Files.writeString(file, json);
        return ModelFileReader.read(file, null);
    }

    @Test
    void aTextModelReadsAsTheLayersItNames() throws IOException {
        double[][] table = weights(5, 3, 1);
        double[][] fw = weights(3, 8, 2), fu = weights(2, 8, 3), bw = weights(3, 8, 4), bu = weights(2, 8, 5);
        double[] fb = weights(1, 8, 6)[0], bb = weights(1, 8, 7)[0];
        double[][] gw = weights(4, 6, 8), gu = weights(2, 6, 9), gb = weights(2, 6, 10);
        double[][] dw = weights(2, 1, 11);
        double[] db = {0.1};
        String file = "{\"name\": \"text\", \"inputShape\": [null], \"layers\": ["
                + "{\"type\": \"Embedding\", \"inputDim\": 5, \"outputDim\": 3, \"maskZero\": true, \"embeddings\": "
                + json(table) + "},"
                + "{\"type\": \"Bidirectional\", \"mergeMode\": \"concat\","
                + " \"forward\": {\"type\": \"LSTM\", \"units\": 2, \"returnSequences\": true, \"kernel\": " + json(fw)
                + ", \"recurrentKernel\": " + json(fu) + ", \"bias\": " + json(fb) + "},"
                + " \"backward\": {\"type\": \"LSTM\", \"units\": 2, \"returnSequences\": true, \"kernel\": " + json(bw)
                + ", \"recurrentKernel\": " + json(bu) + ", \"bias\": " + json(bb) + "}},"
                + "{\"type\": \"GRU\", \"units\": 2, \"kernel\": " + json(gw) + ", \"recurrentKernel\": " + json(gu)
                + ", \"bias\": " + json(gb) + "},"
                + "{\"type\": \"Dense\", \"units\": 1, \"activation\": \"sigmoid\", \"kernel\": " + json(dw)
                + ", \"bias\": " + json(db) + "}]}";
        RecurrentModel model = read(file).model();

        RecurrentModel direct = RecurrentModel.of("text", null, 1, List.of(
                EmbeddingLayer.of("embedding", table, true),
                BidirectionalLayer.of("bidirectional",
                        LstmLayer.of("f", fw, fu, fb, Activation.TANH, Activation.SIGMOID, true, false, false),
                        LstmLayer.of("b", bw, bu, bb, Activation.TANH, Activation.SIGMOID, true, true, false),
                        BidirectionalLayer.MergeMode.CONCAT),
                GruLayer.of("gru", gw, gu, gb, true, Activation.TANH, Activation.SIGMOID, false, false, false),
                DenseLayer.of("dense", dw, db, Activation.SIGMOID)));
        SequenceBatch ids = SequenceBatch.of(new double[][][] {{{1}, {4}, {0}, {2}}, {{3}, {3}}});
        assertThat(model.precision()).as("the JSON format's default dtype").isEqualTo(Precision.FLOAT32);
        assertThat(model.predict(ids).output())
                .isEqualTo(direct.withPrecision(Precision.FLOAT32).predict(ids).output());
        assertThat(model.layers()).extracting(l -> l.name() + ":" + l.kerasClass()).containsExactly(
                "embedding:Embedding", "bidirectional:Bidirectional", "gru:GRU", "dense:Dense");
        // Embedding 5·3; Bidirectional 2 × LSTM 4·(3·2 + 2·2 + 2); GRU reset_after 3·(4·2 + 2·2 + 2·2); Dense 2 + 1
        assertThat(model.layers()).extracting(l -> l.parameterCount()).containsExactly(15L, 96L, 48L, 3L);
        assertThat(model.recurrentLayer("bidirectional").stateParts())
                .containsExactly("forward_h", "forward_c", "backward_h", "backward_c");

        SequenceBatch outside = SequenceBatch.of(new double[][][] {{{1}, {2}}, {{3}, {5}}});
        assertThat(model.inputProblem(outside)).contains(new InputProblem(1, 1,
                "token id 5 is outside the vocabulary of embedding (Embedding): ids run from 0 to 4"));
        SequenceBatch fraction = SequenceBatch.of(new double[][][] {{{1.5}}});
        assertThat(model.inputProblem(fraction).orElseThrow().message()).isEqualTo(
                "1.5 is not a token id: ids are whole numbers from 0 to 4");
        assertThatThrownBy(() -> model.predict(outside)).hasMessageContaining("sample 1, step 1: token id 5");
        assertThatThrownBy(() -> model.predictFromStates(ids, Map.of("bidirectional",
                Map.of("forward_h", new double[4])), false))
                .hasMessageContaining("bidirectional (Bidirectional) cannot start from a given state");
        // warm-up and the self-check draw ids the Embedding accepts
        assertThat(model.inputProblem(model.exampleBatch(3, 5, 1))).isEmpty();
        assertThat(WarmUp.run(model, java.time.Duration.ofMillis(20)).passes()).isPositive();
    }

    @Test
    void aFixedLengthModelWithNormalisationAndFlattenReadsAsTheLayersItNames() throws IOException {
        double[][] lw = weights(2, 12, 1), lu = weights(3, 12, 2);
        double[] lb = weights(1, 12, 3)[0];
        double[][] tw = weights(3, 2, 4);
        double[] tb = {0.1, -0.2};
        double[] gamma = {1.1, 0.9}, beta = {0.05, -0.05}, mean = {0.2, -0.1}, variance = {0.5, 1.5};
        double[][] gw = weights(2, 6, 5), gu = weights(2, 6, 6);
        double[] gb = weights(1, 6, 7)[0];
        double[][] dw = weights(8, 1, 8);
        String file = "{\"inputShape\": [4, 2], \"layers\": ["
                + "{\"type\": \"LSTM\", \"units\": 3, \"activation\": \"softsign\", \"recurrentActivation\": "
                + "\"hard_sigmoid\", \"returnSequences\": true, \"kernel\": " + json(lw) + ", \"recurrentKernel\": "
                + json(lu) + ", \"bias\": " + json(lb) + "},"
                + "{\"type\": \"TimeDistributed\", \"layer\": {\"type\": \"Dense\", \"units\": 2, \"activation\": "
                + "\"mish\", \"kernel\": " + json(tw) + ", \"bias\": " + json(tb) + "}},"
                + "{\"type\": \"LayerNormalization\", \"epsilon\": 0.001, \"gamma\": " + json(gamma) + ", \"beta\": "
                + json(beta) + "},"
                + "{\"type\": \"BatchNormalization\", \"epsilon\": 0.001, \"gamma\": " + json(gamma) + ", \"beta\": "
                + json(beta) + ", \"movingMean\": " + json(mean) + ", \"movingVariance\": " + json(variance) + "},"
                + "{\"type\": \"GRU\", \"units\": 2, \"resetAfter\": false, \"returnSequences\": true, \"kernel\": "
                + json(gw) + ", \"recurrentKernel\": " + json(gu) + ", \"bias\": " + json(gb) + "},"
                + "{\"type\": \"Flatten\"},"
                + "{\"type\": \"Dense\", \"units\": 1, \"kernel\": " + json(dw) + "}]}";
        RecurrentModel model = read(file).model();

        RecurrentModel direct = RecurrentModel.of("model", 4, 2, List.of(
                LstmLayer.of("lstm", lw, lu, lb, Activation.SOFTSIGN, Activation.HARD_SIGMOID, true, false, false),
                new TimeDistributedLayer("time_distributed", DenseLayer.of("d", tw, tb, Activation.MISH)),
                LayerNormalizationLayer.of("layer_normalization", gamma, beta, 2, 1e-3),
                BatchNormalizationLayer.of("batch_normalization", gamma, beta, mean, variance, 1e-3),
                GruLayer.of("gru", gw, gu, new double[][] {gb}, false, Activation.TANH, Activation.SIGMOID, true,
                        false, false),
                new FlattenLayer("flatten", 4),
                DenseLayer.of("dense", dw, null, Activation.LINEAR)));
        SequenceBatch x = SequenceBatch.rectangular(new double[] {0.1, -0.3, 0.5, 0.2, -0.4, 0.9, 0.0, 0.3,
                1.0, 0.5, -0.5, -1.0, 0.25, 0.75, -0.25, 0.6}, 2, 4, 2);
        assertThat(model.predict(x).output())
                .isEqualTo(direct.withPrecision(Precision.FLOAT32).predict(x).output());
        assertThat(model.outputsSequences()).isFalse();
        // LSTM 4·(2·3 + 3·3 + 3); Dense 3·2 + 2; LayerNormalization 2 + 2; BatchNormalization 4·2;
        // GRU reset_after=False 3·(2·2 + 2·2 + 2); Flatten; Dense 8
        assertThat(model.layers()).extracting(l -> l.parameterCount()).containsExactly(72L, 8L, 4L, 8L, 30L, 0L, 8L);
        SequenceBatch shorter = SequenceBatch.of(new double[][][] {{{0.1, 0.2}, {0.3, 0.4}}});
        assertThat(model.inputProblem(shorter)).contains(new InputProblem(0, null,
                "the sample has 2 steps but flatten (Flatten) needs exactly 4"));
        // warm-up and the self-check use the model's fixed steps
        assertThat(model.exampleBatch(3, 8, 1).steps()).isEqualTo(4);
        assertThat(WarmUp.run(model, java.time.Duration.ofMillis(20)).passes()).isPositive();
    }

    @Test
    void refusalsNameThePlaceAndWhatIsSupported() throws IOException {
        String rnn = "{\"type\": \"SimpleRNN\", \"units\": 1, \"kernel\": [[0.5]], \"recurrentKernel\": [[0.5]]}";
        assertThatThrownBy(() -> read("{\"inputShape\": [null, 1], \"layers\": [{\"type\": \"Bidirectional\", "
                + "\"mergeMode\": null, \"forward\": " + rnn + ", \"backward\": " + rnn + "}]}"))
                .hasMessageContaining("layers[0]: merge_mode None returns the two directions as separate outputs; "
                        + "supported: concat, sum, mul, ave");
        assertThatThrownBy(() -> read("{\"inputShape\": [null, 1], \"layers\": [" + rnn + ", {\"type\": \"Flatten\"}]}"))
                .hasMessageContaining("layers[1] is a Flatten, which needs a fixed number of steps");
        assertThatThrownBy(() -> read("{\"inputShape\": [null, 1], \"layers\": [{\"type\": \"LSTM\", \"units\": 1, "
                + "\"kernel\": [[0.5]], \"recurrentKernel\": [[0.5]]}]}"))
                .hasMessageContaining("layers[0].kernel is 1×1 but the LSTM takes 1 features and has 1 units (4 gates)");
        assertThatThrownBy(() -> read("{\"inputShape\": [null, 1], \"layers\": [{\"type\": \"Dense\", \"units\": 1, "
                + "\"kernel\": [[0.5]]}]}"))
                .hasMessageContaining("the model has no recurrent layer (SimpleRNN, LSTM, GRU or Bidirectional)");
    }
}
