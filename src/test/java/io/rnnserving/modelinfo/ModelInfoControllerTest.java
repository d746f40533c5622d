package io.rnnserving.modelinfo;

import static org.assertj.core.api.Assertions.assertThat;

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
}
