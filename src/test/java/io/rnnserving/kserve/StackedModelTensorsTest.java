package io.rnnserving.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.rnnserving.engine.Activation;
import io.rnnserving.engine.DenseLayer;
import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.engine.SimpleRnnLayer;
import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.serving.BoundRequest;
import io.rnnserving.serving.RequestBinder;
import io.rnnserving.serving.RequestLimits;
import org.junit.jupiter.api.Test;

/**
 * A model with two recurrent layers names its states per layer ({@code h0/<layer>}, {@code state/<layer>}); the
 * adapter must hand them to the engine and back unchanged. The engine itself is the reference here: this pins the
 * plumbing, not the arithmetic (which the Keras reference pins).
 */
class StackedModelTensorsTest {
    private static final RecurrentModel MODEL = RecurrentModel.of("stacked", null, 2, List.of(
            SimpleRnnLayer.of("rnn_1", new double[][] {{0.5, -0.2, 0.1}, {0.3, 0.8, -0.6}},
                    new double[][] {{0.1, 0.2, 0.0}, {-0.3, 0.1, 0.4}, {0.2, -0.1, 0.3}}, new double[] {0.1, 0.0, -0.1},
                    Activation.TANH, true, false, false),
            SimpleRnnLayer.of("rnn_2", new double[][] {{0.4, -0.5}, {0.7, 0.2}, {-0.3, 0.6}},
                    new double[][] {{0.2, -0.4}, {0.5, 0.1}}, new double[] {0.0, 0.05},
                    Activation.TANH, true, false, false),
            DenseLayer.of("dense", new double[][] {{1.5}, {-0.5}}, new double[] {0.25}, Activation.LINEAR)));

    @Test
    void metadataNamesTheStatesOfEachRecurrentLayer() {
        KServeMetadata.Model metadata = KServeMetadata.of(MODEL.name(), List.of("1"), MODEL);

        assertThat(metadata.inputs()).extracting(t -> t.name() + Arrays.toString(t.shape())).containsExactly(
                "x[-1, -1, 2]", "h0/rnn_1[-1, 3]", "h0/rnn_2[-1, 2]", "lengths[-1]");
        assertThat(metadata.outputs()).extracting(t -> t.name() + Arrays.toString(t.shape())).containsExactly(
                "yhat[-1, -1, 1]", "hidden[-1, -1, 2]", "hidden/rnn_1[-1, -1, 3]", "hidden/rnn_2[-1, -1, 2]",
                "state/rnn_1[-1, 3]", "state/rnn_2[-1, 2]");
    }

    @Test
    void perLayerInitialStatesAndFinalStatesPassThroughUnchanged() {
        InferRequest request = read("""
                {"inputs": [
                   {"name": "x", "shape": [2, 3, 2], "datatype": "FP64",
                    "data": [[[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]], [[-0.7, 0.8], [0.9, 1.0], [0, 0]]]},
                   {"name": "h0/rnn_2", "shape": [2, 2], "datatype": "FP64", "data": [0.3, -0.3, 0.1, 0.2]},
                   {"name": "h0/rnn_1", "shape": [2, 3], "datatype": "FP32", "data": [0.1, 0.2, 0.3, -0.1, -0.2, -0.3]},
                   {"name": "lengths", "shape": [2], "datatype": "INT64", "data": [3, 2]}],
                 "outputs": [{"name": "state/rnn_1"}, {"name": "state/rnn_2"}, {"name": "yhat"},
                             {"name": "hidden/rnn_1"}]}""");
        double[] x = {0.1, 0.2, 0.3, -0.4, 0.5, 0.6, -0.7, 0.8, 0.9, 1.0, 0, 0};
        Map<String, double[]> h0 = Map.of("rnn_1", new double[] {0.1, 0.2, 0.3, -0.1, -0.2, -0.3},
                "rnn_2", new double[] {0.3, -0.3, 0.1, 0.2});
        ForwardResult expected = MODEL.predict(new SequenceBatch(x, 2, 3, 2, new int[] {3, 2}), h0, true);

        assertThat(bind(request).batch().lengths()).containsExactly(3, 2);
        assertThat(bind(request).statePartsByLayer()).containsOnlyKeys("rnn_1", "rnn_2");
        assertThat(request.single()).isFalse();
        assertThat(request.input().recordStates()).isTrue();
        InferResponse response = InferResponse.of(MODEL.name(), "1", MODEL, request,
                MODEL.predictFromStates(bind(request).batch(), bind(request).statePartsByLayer(),
                        request.input().recordStates()));

        assertThat(response.outputs()).extracting(InferResponse.OutputTensor::name)
                .containsExactly("state/rnn_1", "state/rnn_2", "yhat", "hidden/rnn_1");
        assertThat((double[]) response.outputs().get(0).data()).containsExactly(expected.finalStates().get("rnn_1"));
        assertThat((double[]) response.outputs().get(1).data()).containsExactly(expected.finalStates().get("rnn_2"));
        double[] yhat = (double[]) response.outputs().get(2).data();
        assertThat(response.outputs().get(2).shape()).containsExactly(2, 3, 1);
        assertThat(Arrays.copyOf(yhat, 5)).containsExactly(Arrays.copyOf(expected.output(), 5));
        assertThat(yhat[5]).as("sample 1 is zero past its length 2").isZero();
        double[] hidden = (double[]) response.outputs().get(3).data();
        assertThat(Arrays.copyOf(hidden, 15)).containsExactly(Arrays.copyOf(expected.states().get("rnn_1").values(), 15));
        assertThat(Arrays.copyOfRange(hidden, 15, 18)).containsOnly(0.0);
    }

    @Test
    void unnamedStatesAreRefusedForAStackedModel() {
        // read as a state, then refused by the binder, as on every protocol
        assertThatThrownBy(() -> bind(read("""
                {"inputs": [{"name": "x", "shape": [1, 1, 2], "datatype": "FP64", "data": [1, 2]},
                            {"name": "h0", "shape": [1, 3], "datatype": "FP64", "data": [0, 0, 0]}]}""")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.pointer()).isEqualTo("/inputs/1/shape");
                    assertThat(e.detail()).isEqualTo("the model has 2 recurrent layers; give each initial state by "
                            + "layer name: [rnn_1, rnn_2]");
                });
        assertThatThrownBy(() -> read("""
                {"inputs": [{"name": "x", "shape": [1, 1, 2], "datatype": "FP64", "data": [1, 2]}],
                 "outputs": [{"name": "state"}]}"""))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("state/<layer name>");
    }

    private static BoundRequest bind(InferRequest request) {
        return new RequestBinder(MODEL, RequestLimits.DEFAULTS).bind(request.input(), request.at());
    }

    private static InferRequest read(String body) {
        return new InferRequestReader(MODEL, RequestLimits.DEFAULTS, MODEL.name(), "1")
                .read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }
}
