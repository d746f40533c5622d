package io.rnnserving.contract;

import java.util.Arrays;
import java.util.List;

import io.rnnserving.NotebookReference;
import io.rnnserving.contract.client.ApiClient;
import io.rnnserving.contract.client.ApiException;
import io.rnnserving.contract.client.api.ModelApi;
import io.rnnserving.contract.client.api.PredictApi;
import io.rnnserving.contract.client.model.LayerSummary;
import io.rnnserving.contract.client.model.ModelSummary;
import io.rnnserving.contract.client.model.PredictRequest;
import io.rnnserving.contract.client.model.PredictResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/** A client generated from openapi/openapi.yaml (target/generated-test-sources/openapi) talks to the service. */
// the README example is compared with numpy float64 to 1e-12: the float32 default model computes in float64 here
@RunningService
@TestPropertySource(properties = "model.precision=float64")
class GeneratedClientTest {
    @LocalServerPort
    int port;

    ApiClient client;

    @BeforeEach
    void connect() {
        client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port);
    }

    @Test
    void generatedClientPredictsTheReadmeExampleAsNumpyDoes() throws ApiException {
        NotebookReference readme = NotebookReference.readme();

        PredictResponse response = new PredictApi(client).predict(new PredictRequest().x(nested(readme.x())));

        assertThat(response.getYhat()).isInstanceOf(List.class);
        List<?> rows = (List<?>) response.getYhat();
        assertThat(rows).hasSize(1);
        List<?> yhat = (List<?>) rows.get(0);
        assertThat(yhat).hasSize(2);
        for (int k = 0; k < 2; k++) {
            assertThat(((Number) yhat.get(k)).doubleValue())
                    .isCloseTo(readme.yhat()[0][k], within(NotebookReference.TOLERANCE));
        }
        assertThat(response.getHidden()).isNull();
    }

    @Test
    void generatedClientReadsTraceAndState() throws ApiException {
        NotebookReference readme = NotebookReference.readme();

        PredictResponse response = new PredictApi(client)
                .predict(new PredictRequest().x(nested(readme.x())).trace(true).returnState(true));

        assertThat(response.getHidden()).hasSize(1);
        assertThat(response.getHidden().get(0)).hasSize(10).allSatisfy(step -> assertThat(step).hasSize(5));
        assertThat(response.getState()).isEqualTo(List.of(response.getHidden().get(0).get(9)));
    }

    @Test
    void generatedClientDescribesTheDefaultModel() throws ApiException {
        ModelSummary summary = new ModelApi(client).describeModel();

        assertThat(summary.getName()).isEqualTo("notebook-simple-rnn");
        assertThat(summary.getInputShape()).containsExactly(10, 3);
        assertThat(summary.getTotalParams()).isEqualTo(57L);
        assertThat(summary.getLayers()).extracting(LayerSummary::getClassName, LayerSummary::getUnits,
                        LayerSummary::getActivation, LayerSummary::getParams)
                .containsExactly(tuple("SimpleRNN", 5, "tanh", 45L), tuple("Dense", 2, "linear", 12L));
        assertThat(summary.getLayers().get(0).getOutputShape()).containsExactly(null, 5);
    }

    @Test
    void generatedClientSeesProblemDetailsForAWrongShape() {
        ApiException error = catchThrowableOfType(ApiException.class, () -> new PredictApi(client)
                .predict(new PredictRequest().x(List.of(List.of(List.of(0.1, 0.2))))));

        assertThat(error.getCode()).isEqualTo(400);
        assertThat(error.getResponseHeaders().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(error.getResponseBody()).contains("\"type\":\"urn:rnn-serving:problem:wrong-shape\"",
                "\"pointer\":\"/x/0/0\"");
    }

    private static List<List<List<Double>>> nested(double[][][] x) {
        return Arrays.stream(x).map(sample -> Arrays.stream(sample)
                .map(step -> Arrays.stream(step).boxed().toList()).toList()).toList();
    }
}
