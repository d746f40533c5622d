package io.rnnserving.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnserving.loading.ModelFileReader;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** /actuator/prometheus carries batch sizes, sequence lengths, problems by type and the served model. */
@SpringBootTest
@AutoConfigureMockMvc
class ServingMetricsTest {

    @Autowired
    MockMvcTester mvc;

    @Test
    void prometheusShowsBatchShapesProblemsAndTheModel() throws Exception {
        mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON)
                .content("{\"x\": [[[1,2,3],[4,5,6]], [[1,2,3]], [[0,0,0]]]}").exchange();
        mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content("{\"x\": [[[1,2]]]}").exchange();

        String scrape = mvc.get().uri("/actuator/prometheus").exchange().getResponse().getContentAsString();

        assertThat(scrape)
                .containsPattern("rnn_batch_samples_bucket\\{api=\"predict\",le=\"3\\.0\"} 1")
                .containsPattern("rnn_batch_steps_max\\{api=\"predict\"} 2\\.0")
                .containsPattern("rnn_problems_total\\{type=\"wrong-shape\"} 1\\.0")
                .contains("rnn_model_info{file_kind=\"rnn-serving JSON\",name=\"notebook-simple-rnn\",parameters=\"57\","
                        + "sha256=\"" + ModelFileReader.readDefault().sha256() + "\"} 1");
    }
}
