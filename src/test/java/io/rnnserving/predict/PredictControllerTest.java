package io.rnnserving.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import io.rnnserving.NotebookReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

// compared with the numpy float64 reference to 1e-12: the float32 default model computes in float64 here
@SpringBootTest(properties = "model.precision=float64")
@AutoConfigureMockMvc
class PredictControllerTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MockMvcTester mvc;

    private JsonNode predict(Object body) throws Exception {
        String response = mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON)
                .content(JSON.writeValueAsString(body)).exchange().getResponse().getContentAsString();
        return JSON.readTree(response);
    }

    @Test
    void batchAndTraceMatchTheNumpyReference() throws Exception {
        NotebookReference reference = NotebookReference.cases().get(1);
        JsonNode answer = predict(Map.of("x", reference.x(), "trace", true));

        for (int n = 0; n < reference.x().length; n++) {
            for (int k = 0; k < 2; k++) {
                assertThat(answer.get("yhat").get(n).get(k).doubleValue()).isCloseTo(reference.yhat()[n][k], within(1e-12));
                assertThat(answer.get("yhat").get(n).get(k).doubleValue()).isCloseTo(reference.kerasYhat()[n][k], within(1e-5));
            }
            for (int t = 0; t < 10; t++) {
                for (int m = 0; m < 5; m++) {
                    assertThat(answer.get("hidden").get(n).get(t).get(m).doubleValue())
                            .isCloseTo(reference.hidden()[n][t][m], within(1e-12));
                }
            }
        }
    }

    @Test
    void withoutTraceOnlyYhatComesBack() throws Exception {
        JsonNode answer = predict(Map.of("x", NotebookReference.cases().get(0).x()));
        assertThat(answer.propertyNames()).containsExactly("yhat");
    }

    @Test
    void stateFedBackAsH0ContinuesTheSequence() throws Exception {
        double[][][] x = NotebookReference.cases().get(1).x();
        double[][][] first = new double[x.length][][];
        double[][][] second = new double[x.length][][];
        for (int n = 0; n < x.length; n++) {
            first[n] = java.util.Arrays.copyOfRange(x[n], 0, 4);
            second[n] = java.util.Arrays.copyOfRange(x[n], 4, 10);
        }
        JsonNode chunk1 = predict(Map.of("x", first, "returnState", true));
        JsonNode chunk2 = predict(Map.of("x", second, "h0", chunk1.get("state")));
        JsonNode whole = predict(Map.of("x", x));
        assertThat(chunk2.get("yhat")).isEqualTo(whole.get("yhat"));
    }

    @Test
    void raggedBatchAnswersEachSampleFromItsOwnLastStep() throws Exception {
        double[][][] x = NotebookReference.cases().get(1).x();
        double[][][] ragged = {x[0], java.util.Arrays.copyOf(x[1], 3)};
        JsonNode batch = predict(Map.of("x", ragged, "trace", true));
        JsonNode alone = predict(Map.of("x", new double[][][] {ragged[1]}, "trace", true));
        assertThat(batch.get("yhat").get(1)).isEqualTo(alone.get("yhat").get(0));
        assertThat(batch.get("hidden").get(1)).hasSize(3).isEqualTo(alone.get("hidden").get(0));
        assertThat(batch.get("hidden").get(0)).hasSize(10);
    }

    @Test
    void paddedBatchWithLengthsEqualsTheRaggedOne() throws Exception {
        double[][][] x = NotebookReference.cases().get(1).x();
        JsonNode padded = predict(Map.of("x", new double[][][] {x[0], x[1]}, "lengths", List.of(10, 3)));
        JsonNode ragged = predict(Map.of("x", new double[][][] {x[0], java.util.Arrays.copyOf(x[1], 3)}));
        assertThat(padded.get("yhat")).isEqualTo(ragged.get("yhat"));
    }
}
