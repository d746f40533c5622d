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

    private String scrape() throws Exception {
        return mvc.get().uri("/actuator/prometheus").exchange().getResponse().getContentAsString();
    }

    /** The value of the sample named exactly {@code series} (name and labels), 0 when absent. */
    private static double value(String scrape, String series) {
        return scrape.lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst()
                .orElse(0);
    }

    @Test
    void prometheusShowsBatchShapesProblemsAndTheModel() throws Exception {
        String before = scrape();
        // the context is shared with other tests: compare counts before and after
        mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON)
                .content("{\"x\": [[[1,2,3],[4,5,6]], [[1,2,3]], [[0,0,0]]]}").exchange();
        mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content("{\"x\": [[[1,2]]]}").exchange();
        String after = scrape();

        String tags = "api=\"predict\",model=\"notebook-simple-rnn\",version=\"1\"";
        String threeSamples = "rnn_batch_samples_bucket{" + tags + ",le=\"3.0\"}";
        String twoSamples = "rnn_batch_samples_bucket{" + tags + ",le=\"2.0\"}";
        String wrongShape = "rnn_problems_total{type=\"wrong-shape\"}";
        assertThat(value(after, threeSamples) - value(before, threeSamples)).isEqualTo(1);
        assertThat(value(after, twoSamples) - value(before, twoSamples)).isZero();
        assertThat(value(after, "rnn_batch_steps_count{" + tags + "}")
                - value(before, "rnn_batch_steps_count{" + tags + "}")).isEqualTo(1);
        assertThat(value(after, wrongShape) - value(before, wrongShape)).isEqualTo(1);
        assertThat(after).contains("rnn_model_info{file_kind=\"rnn-serving JSON\",model=\"notebook-simple-rnn\","
                + "name=\"notebook-simple-rnn\",parameters=\"57\",sha256=\"" + ModelFileReader.readDefault().sha256()
                + "\",version=\"1\"} 1");
        assertThat(after).contains("rnn_model_loads_total{model=\"notebook-simple-rnn\",version=\"1\"} 1.0");
    }
}
