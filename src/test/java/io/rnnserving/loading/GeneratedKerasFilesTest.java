package io.rnnserving.loading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.engine.SimpleRnnLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static io.rnnserving.loading.KerasFixtures.GENERATED;
import static io.rnnserving.loading.KerasFixtures.assertCloseToKeras;
import static io.rnnserving.loading.KerasFixtures.batch;
import static io.rnnserving.loading.KerasFixtures.flatten;
import static io.rnnserving.loading.KerasFixtures.json;
import static io.rnnserving.loading.KerasFixtures.predict;
import static org.assertj.core.api.Assertions.assertThat;

/** The models make_fixtures.py saved three ways, against Keras' own predict() (tolerance 1e-5). */
class GeneratedKerasFilesTest {

    static Stream<String> models() throws IOException {
        try (Stream<Path> files = Files.list(GENERATED)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".config.json"))
                    .map(name -> name.substring(0, name.length() - ".config.json".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @Test
    void everyOptionOfTheIssueHasAFixture() throws IOException {
        assertThat(models().toList()).contains("masking", "masking_value", "stacked", "return_sequences",
                "go_backwards", "no_bias", "dropout", "stateful", "none_time_axis", "activation_layer", "combined",
                "act_hard_sigmoid_hard_sigmoid", "act_sigmoid_softmax", "act_relu_selu", "act_linear_gelu",
                "act_silu_exponential", "act_elu_swish", "act_softplus_softsign");
    }

    @ParameterizedTest
    @MethodSource("models")
    void eachFileKindAnswersAsKerasDid(String name) {
        JsonNode fixture = json(GENERATED.resolve(name + ".json"));
        double[][][] x = batch(fixture.get("input"));
        double[] keras = flatten(fixture.get("expected"));

        LoadedModel archive = ModelFileReader.read(GENERATED.resolve(name + ".keras"), null);
        LoadedModel legacy = ModelFileReader.read(GENERATED.resolve(name + ".h5"), null);
        LoadedModel weights = ModelFileReader.read(GENERATED.resolve(name + ".weights.h5"),
                GENERATED.resolve(name + ".config.json"));

        assertThat(archive.fileKind()).isEqualTo("Keras 3 .keras");
        assertThat(legacy.fileKind()).isEqualTo("legacy HDF5 .h5");
        assertThat(weights.fileKind()).isEqualTo("weights .h5 + config");
        assertThat(archive.kerasVersion()).startsWith("3.");
        assertThat(legacy.kerasVersion()).startsWith("3.");

        double[] fromArchive = predict(archive, x).output();
        assertCloseToKeras(fromArchive, keras, name + ".keras");
        // the same float32 weights through three readers: bit-for-bit the same answers
        assertThat(predict(legacy, x).output()).as(name + ".h5").containsExactly(fromArchive);
        assertThat(predict(weights, x).output()).as(name + ".weights.h5").containsExactly(fromArchive);
        assertThat(legacy.model().layers()).extracting(l -> l.name() + ":" + l.kerasClass())
                .containsExactlyElementsOf(archive.model().layers().stream()
                        .map(l -> l.name() + ":" + l.kerasClass()).toList());
    }

    @Test
    void keepsTheKerasLayerNamesAndOptions() {
        LoadedModel combined = ModelFileReader.read(GENERATED.resolve("combined.keras"), null);
        assertThat(combined.model().layers()).extracting(l -> l.name() + ":" + l.kerasClass()).containsExactly(
                "masking:Masking", "simple_rnn:SimpleRNN", "dropout:Dropout", "simple_rnn_1:SimpleRNN",
                "spatial_dropout1d:SpatialDropout1D", "simple_rnn_2:SimpleRNN", "dense:Dense", "dense_1:Dense");
        SimpleRnnLayer first = (SimpleRnnLayer) combined.model().recurrentLayer("simple_rnn");
        assertThat(first.goBackwards()).isTrue();
        assertThat(first.returnSequences()).isTrue();
        assertThat(((SimpleRnnLayer) combined.model().recurrentLayer("simple_rnn_1")).usesBias()).isFalse();
        assertThat(combined.model().outputsSequences()).isTrue();

        LoadedModel named = ModelFileReader.read(GENERATED.resolve("named_layers.weights.h5"),
                GENERATED.resolve("named_layers.config.json"));
        assertThat(named.model().layers()).extracting(l -> l.name()).containsExactly("encoder", "head");

        assertThat(ModelFileReader.read(GENERATED.resolve("stateful.keras"), null).model()
                .recurrentLayers().get(0).stateful()).isTrue();
        assertThat(ModelFileReader.read(GENERATED.resolve("none_time_axis.h5"), null).model().declaredSteps())
                .isNull();
        assertThat(ModelFileReader.read(GENERATED.resolve("stacked.keras"), null).model().declaredSteps())
                .isEqualTo(4);
    }

    @Test
    void readsNameListsSplitIntoNumberedFixedLengthAttributes() {
        JsonNode fixture = json(GENERATED.resolve("stacked.json"));
        double[][][] x = batch(fixture.get("input"));
        LoadedModel split = ModelFileReader.read(GENERATED.resolve("stacked_split_attributes.h5"), null);
        assertThat(split.model().layers()).extracting(l -> l.name())
                .containsExactly("simple_rnn", "simple_rnn_1", "dense");
        assertThat(predict(split, x).output())
                .containsExactly(predict(ModelFileReader.read(GENERATED.resolve("stacked.keras"), null), x).output());
    }

    @Test
    void initialStatesGiveWhatKerasGaveWithInitialStateInputs() {
        for (String name : new String[] {"initial_state_single", "initial_state_stacked"}) {
            JsonNode fixture = json(GENERATED.resolve(name + ".json"));
            LoadedModel loaded = ModelFileReader.read(GENERATED.resolve(name + ".keras"), null);
            double[][][] x = batch(fixture.get("input"));
            assertCloseToKeras(predict(loaded, x).output(), flatten(fixture.get("expected_zero_state")),
                    name + " from zero states");

            Map<String, double[]> initial = new java.util.HashMap<>();
            fixture.get("initial_states").properties().forEach(e -> initial.put(e.getKey(), flatten(e.getValue())));
            ForwardResult result = loaded.model().predict(SequenceBatch.of(x), initial, false);
            assertCloseToKeras(result.output(), flatten(fixture.get("expected")), name + " from given states");
            fixture.get("final_states").properties().forEach(e -> assertCloseToKeras(
                    result.finalStates().get(e.getKey()), flatten(e.getValue()), name + " final " + e.getKey()));
        }
    }

    @Test
    void maskedStepsCarryTheStateAsInKeras() {
        JsonNode fixture = json(GENERATED.resolve("masking_states.json"));
        LoadedModel loaded = ModelFileReader.read(GENERATED.resolve("masking_states.keras"), null);
        ForwardResult result = loaded.model().predict(SequenceBatch.of(batch(fixture.get("input"))), Map.of(), true);
        assertCloseToKeras(result.output(), flatten(fixture.get("expected")), "masking_states output");
        assertCloseToKeras(result.states().get("simple_rnn").values(),
                flatten(fixture.get("states").get("simple_rnn")), "masking_states per-step states");
    }
}
