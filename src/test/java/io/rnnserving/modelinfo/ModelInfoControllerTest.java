package io.rnnserving.modelinfo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@SpringBootTest
@AutoConfigureMockMvc
class ModelInfoControllerTest {

    @Autowired
    MockMvcTester mvc;

    @Test
    void modelSummaryCountsParametersAsKerasDoes() {
        assertThat(mvc.get().uri("/model")).hasStatusOk().bodyJson()
                .hasPathSatisfying("$.totalParams", v -> assertThat(v).isEqualTo(57))
                .hasPathSatisfying("$.inputShape", v -> assertThat(v).asArray().containsExactly(10, 3))
                .hasPathSatisfying("$.layers[0].params", v -> assertThat(v).isEqualTo(45))
                .hasPathSatisfying("$.layers[0].className", v -> assertThat(v).isEqualTo("SimpleRNN"))
                .hasPathSatisfying("$.layers[0].outputShape", v -> assertThat(v).asArray().containsExactly(null, 5))
                .hasPathSatisfying("$.layers[1].params", v -> assertThat(v).isEqualTo(12))
                .hasPathSatisfying("$.layers[1].units", v -> assertThat(v).isEqualTo(2));
    }

    @Test
    void theNotebookModelIsFloat32AsSavedAndAnswersFloat32() {
        assertThat(mvc.get().uri("/model")).hasStatusOk().bodyJson()
                .hasPathSatisfying("$.dtype", v -> assertThat(v).isEqualTo("float32"))
                .hasPathSatisfying("$.precision", v -> assertThat(v).isEqualTo("float32"));
        // shortest float32 text, not 17 digits: the float32 engine's answer, within 6e-8 of Keras' float32
        // [[-0.22783875, 0.23407787]] (make_readme_answers.py; the rounding of another order of sums)
        assertThat(mvc.post().uri("/predict").contentType("application/json").content(README_X)).hasStatusOk()
                .bodyText().isEqualTo("{\"yhat\":[[-0.2278387,0.2340779]]}");
    }

    /** A model computed in float64 by model.precision: GET /model says so, and the answer is double text. */
    @Nested
    @SpringBootTest(properties = "model.precision=float64")
    @AutoConfigureMockMvc
    class ForcedToFloat64 {
        @Autowired
        MockMvcTester mvc;

        @Test
        void getModelShowsTheSavedDtypeAndThePrecisionInUse() {
            assertThat(mvc.get().uri("/model")).hasStatusOk().bodyJson()
                    .hasPathSatisfying("$.dtype", v -> assertThat(v).isEqualTo("float32"))
                    .hasPathSatisfying("$.precision", v -> assertThat(v).isEqualTo("float64"));
            // numpy float64: make_reference.py
            assertThat(mvc.post().uri("/predict").contentType("application/json").content(README_X)).hasStatusOk()
                    .bodyText().startsWith("{\"yhat\":[[-0.2278387881434021,");
        }
    }

    private static final String README_X = "{\"x\": [[[0.1,0.2,0.3],[0.4,0.5,0.6],[0.7,0.8,0.9],[1.0,1.1,1.2],"
            + "[1.3,1.4,1.5],[1.6,1.7,1.8],[1.9,2.0,2.1],[2.2,2.3,2.4],[2.5,2.6,2.7],[2.8,2.9,3.0]]]}";
}
