package io.rnnserving.loading;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jhdf.HdfFile;
import io.rnnserving.engine.GruLayer;
import io.rnnserving.engine.LstmLayer;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.loading.KerasWeights.Array;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.rnnserving.loading.KerasFixtures.assertCloseToKeras;
import static io.rnnserving.loading.KerasFixtures.flatten;
import static io.rnnserving.loading.KerasFixtures.json;
import static io.rnnserving.loading.RecurrentKerasFilesTest.RECURRENT;
import static io.rnnserving.loading.RecurrentKerasFilesTest.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The weight layouts of Keras 1 (an LSTM's or GRU's weights gate by gate) and of Keras 2's CuDNNLSTM and CuDNNGRU
 * (two bias vectors). No such file is at hand (the local package index has no Keras 2, and the shared DL4J files
 * hold only SimpleRNN), so each test rearranges a Keras 3 fixture's float32 weights into the older layout, as those
 * versions stored them, and expects the Keras 3 fixture's answers: the layouts differ, the arithmetic does not.
 */
class LegacyRecurrentWeightsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The Keras 3 weights of a fixture's layer group, in get_weights() order. */
    private static List<Array> keras3Arrays(String fixture, String varsPath) {
        List<Array> arrays = new ArrayList<>();
        try (HdfFile file = new HdfFile(RECURRENT.resolve(fixture + ".weights.h5"))) {
            for (int i = 0; file.getByPath("layers/" + varsPath) instanceof io.jhdf.api.Group group
                    && group.getChild(Integer.toString(i)) instanceof io.jhdf.api.Dataset dataset; i++) {
                float[] flat = (float[]) dataset.getDataFlat();
                double[] values = new double[flat.length];
                for (int j = 0; j < flat.length; j++) {
                    values[j] = flat[j];
                }
                arrays.add(new Array(varsPath + "/" + i, dataset.getDimensions(), values));
            }
        }
        return arrays;
    }

    /** Columns [gate * units, (gate + 1) * units) of a D×GM matrix or a GM vector, named as Keras 1 named it. */
    private static Array gate(Array joined, int gate, int units, String name) {
        int rows = joined.shape().length == 2 ? joined.shape()[0] : 1;
        int cols = joined.shape()[joined.shape().length - 1];
        double[] values = new double[rows * units];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(joined.values(), r * cols + gate * units, values, r * units, units);
        }
        return new Array(name, joined.shape().length == 2 ? new int[] {rows, units} : new int[] {units}, values);
    }

    /** Keras 1 stored W, U and b of each gate in turn; the LSTM's gates in the order i, c, f, o. */
    private static List<Array> keras1Gates(String layer, List<Array> joined, String storedOrder, String kerasOrder,
                                           int units) {
        List<Array> stored = new ArrayList<>();
        for (char g : storedOrder.toCharArray()) {
            int column = kerasOrder.indexOf(g);
            stored.add(gate(joined.get(0), column, units, layer + "_W_" + g));
            stored.add(gate(joined.get(1), column, units, layer + "_U_" + g));
            stored.add(gate(joined.get(2), column, units, layer + "_b_" + g));
        }
        return stored;
    }

    @Test
    void keras1LstmWeightsGateByGateAnswerAsTheJoinedWeights() {
        JsonNode fixture = json(RECURRENT.resolve("lstm.json"));
        KerasModelConfig config = KerasConfigParser.parse(JSON.readTree("""
                {"class_name": "Sequential", "config": [
                  {"class_name": "LSTM", "config": {"name": "lstm_1", "batch_input_shape": [null, 5, 3],
                   "output_dim": 4, "activation": "tanh", "inner_activation": "sigmoid", "consume_less": "cpu"}},
                  {"class_name": "Dense", "config": {"name": "dense_1", "output_dim": 2, "activation": "linear"}}]}
                """), 1);
        List<Array> lstm = keras1Gates("lstm_1", keras3Arrays("lstm", "lstm/cell/vars"), "icfo", "ifco", 4);
        assertThat(lstm).extracting(Array::name).startsWith("lstm_1_W_i", "lstm_1_U_i", "lstm_1_b_i", "lstm_1_W_c");
        RecurrentModel model = config.toModel(new KerasWeights(Map.of("lstm_1", lstm,
                "dense_1", keras3Arrays("lstm", "dense/vars"))));

        assertThat(model.recurrentLayer("lstm_1")).isInstanceOf(LstmLayer.class);
        assertThat(model.parameterCount()).isEqualTo(fixture.get("parameters").get("lstm").longValue() + 10);
        assertCloseToKeras(model.predict(SequenceBatch.of(batch(fixture.get("input")))).output(),
                flatten(fixture.get("expected")), "Keras 1 layout of lstm");
    }

    @Test
    void keras1GruWeightsGateByGateAnswerAsAResetBeforeGru() {
        // gru_reset_before's first layer, GRU(4, reset_after=False, return_sequences): its outputs are its trace
        JsonNode fixture = json(RECURRENT.resolve("gru_reset_before.json"));
        KerasModelConfig config = KerasConfigParser.parse(JSON.readTree("""
                {"class_name": "Sequential", "config": [
                  {"class_name": "GRU", "config": {"name": "gru_1", "batch_input_shape": [null, null, 3],
                   "output_dim": 4, "inner_activation": "sigmoid", "return_sequences": true}}]}
                """), 1);
        List<Array> gru = keras1Gates("gru_1", keras3Arrays("gru_reset_before", "gru/cell/vars"), "zrh", "zrh", 4);
        RecurrentModel model = config.toModel(new KerasWeights(Map.of("gru_1", gru)));

        assertThat(model.recurrentLayer("gru_1")).isInstanceOf(GruLayer.class);
        assertCloseToKeras(model.predict(SequenceBatch.of(batch(fixture.get("input")))).output(),
                flatten(fixture.get("traces").get("gru").get("h")), "Keras 1 layout of gru_reset_before's gru");
    }

    @Test
    void keras1GateWeightsWithoutTheirNamesAreRefused() {
        KerasModelConfig config = KerasConfigParser.parse(JSON.readTree("""
                {"class_name": "Sequential", "config": [
                  {"class_name": "LSTM", "config": {"name": "lstm_1", "batch_input_shape": [null, 5, 3],
                   "output_dim": 4}}]}
                """), 1);
        List<Array> unnamed = keras1Gates("lstm_1", keras3Arrays("lstm", "lstm/cell/vars"), "icfo", "ifco", 4)
                .stream().map(a -> new Array("param_" + a.name().hashCode(), a.shape(), a.values())).toList();
        assertThatThrownBy(() -> config.toModel(new KerasWeights(Map.of("lstm_1", unnamed))))
                .hasMessageStartingWith("layer 'lstm_1' (LSTM) has 12 weight arrays, as Keras 1 stored a LSTM gate "
                        + "by gate, but none is named *_W_i");
    }

    /** CuDNNLSTM keeps an input and a recurrent bias, 8M values, which the cell adds: split Keras 3's bias in two. */
    @Test
    void keras2CuDnnLstmAddsItsTwoBiases() {
        JsonNode fixture = json(RECURRENT.resolve("lstm.json"));
        KerasModelConfig config = KerasConfigParser.parse(JSON.readTree("""
                {"class_name": "Sequential", "config": {"name": "m", "layers": [
                  {"class_name": "CuDNNLSTM", "config": {"name": "cu_dnnlstm_1", "batch_input_shape": [null, 5, 3],
                   "units": 4, "return_sequences": false}},
                  {"class_name": "Dense", "config": {"name": "dense_1", "units": 2, "activation": "linear"}}]}}
                """), 2);
        List<Array> lstm = keras3Arrays("lstm", "lstm/cell/vars");
        double[] bias = lstm.get(2).values();
        double[] twoBiases = new double[2 * bias.length];
        for (int j = 0; j < bias.length; j++) {
            twoBiases[j] = bias[j] - 0.25 * (j % 3);
            twoBiases[bias.length + j] = 0.25 * (j % 3);
        }
        List<Array> cudnn = List.of(lstm.get(0), lstm.get(1), new Array("bias", new int[] {twoBiases.length}, twoBiases));
        RecurrentModel model = config.toModel(new KerasWeights(Map.of("cu_dnnlstm_1", cudnn,
                "dense_1", keras3Arrays("lstm", "dense/vars"))));

        assertThat(model.recurrentLayer("cu_dnnlstm_1")).isInstanceOf(LstmLayer.class);
        assertCloseToKeras(model.predict(SequenceBatch.of(batch(fixture.get("input")))).output(),
                flatten(fixture.get("expected")), "CuDNNLSTM layout of lstm");
    }

    /** CuDNNGRU is a reset_after GRU whose (2, 3M) bias is stored flat, 6M values. */
    @Test
    void keras2CuDnnGruIsAResetAfterGru() {
        JsonNode fixture = json(RECURRENT.resolve("gru.json"));
        KerasModelConfig config = KerasConfigParser.parse(JSON.readTree("""
                {"class_name": "Sequential", "config": {"name": "m", "layers": [
                  {"class_name": "CuDNNGRU", "config": {"name": "cu_dnngru_1", "batch_input_shape": [null, null, 3],
                   "units": 4}},
                  {"class_name": "Dense", "config": {"name": "dense_1", "units": 2}}]}}
                """), 2);
        List<Array> gru = keras3Arrays("gru", "gru/cell/vars");
        assertThat(gru.get(2).shape()).containsExactly(2, 12);
        List<Array> cudnn = List.of(gru.get(0), gru.get(1), new Array("bias", new int[] {24}, gru.get(2).values()));
        RecurrentModel model = config.toModel(new KerasWeights(Map.of("cu_dnngru_1", cudnn,
                "dense_1", keras3Arrays("gru", "dense/vars"))));

        assertCloseToKeras(model.predict(SequenceBatch.of(batch(fixture.get("input")))).output(),
                flatten(fixture.get("expected")), "CuDNNGRU layout of gru");
    }
}
