package io.rnnserving.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.StringJoiner;

import io.rnnserving.serving.MemoryBudget;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Admission by memory over HTTP, with a budget of 8 MiB: a trace whose working memory could never fit is refused
 * with 413 naming the budget, in each protocol's error format, and the budget is whole again after every answer.
 * The estimate for the refused batch, 200×1000 steps of the notebook model (M=5, K=2) with trace: input 4.8 MB,
 * states 8 MB, their nested copy 14.4 MB; more than 8 MiB on any count.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"rnn-serving.admission.budget=8MB", "rnn-serving.admission.max-wait=200ms"})
class MemoryAdmissionTest {
    @LocalServerPort
    int port;

    @Autowired
    MemoryBudget budget;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aTraceThatCouldNeverFitIs413NamingTheBudget() throws Exception {
        String x = batch(200, 1000);
        HttpResponse<String> predict = post("/predict", "{\"x\": " + x + ", \"trace\": true}");
        HttpResponse<String> infer = post("/v2/models/notebook-simple-rnn/infer", "{\"inputs\": [{\"name\": \"x\", "
                + "\"shape\": [200, 1000, 3], \"datatype\": \"FP64\", \"data\": " + x + "}], \"outputs\": [{\"name\": "
                + "\"hidden\"}]}");

        assertThat(predict.statusCode()).as(predict.body()).isEqualTo(413);
        assertThat(predict.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(predict.body()).contains("urn:rnn-serving:problem:batch-too-large")
                .contains("more than the whole memory budget of 8.0 MiB");
        assertThat(infer.statusCode()).as(infer.body()).isEqualTo(413);
        assertThat(infer.body()).startsWith("{\"error\":").contains("memory budget of 8.0 MiB");
        assertThat(budget.reservedBytes()).isZero();
    }

    @Test
    void theSameBatchWithoutTraceIsServedAndReleasesItsShare() throws Exception {
        HttpResponse<String> small = post("/predict", "{\"x\": " + batch(20, 1000) + ", \"trace\": true}");
        HttpResponse<String> plain = post("/predict", "{\"x\": " + batch(200, 100) + "}");

        assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
        assertThat(budget.reservedBytes()).isZero();
    }

    @Test
    void aRequestThatMustWaitLongerThanMaxWaitIs503WithRetryAfter() throws Exception {
        try (MemoryBudget.Ticket held = budget.open()) {
            held.reserveTotal(budget.budgetBytes(), "a test holding the whole budget");
            HttpResponse<String> response = post("/predict", "{\"x\": " + batch(1, 10) + "}");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(response.body()).contains("urn:rnn-serving:problem:service-unavailable")
                    .contains("longer than 200 ms; retry later");
        }
        assertThat(post("/predict", "{\"x\": " + batch(1, 10) + "}").statusCode()).isEqualTo(200);
    }

    private static String batch(int samples, int steps) {
        StringJoiner batch = new StringJoiner(",", "[", "]");
        for (int n = 0; n < samples; n++) {
            StringJoiner sample = new StringJoiner(",", "[", "]");
            for (int t = 0; t < steps; t++) {
                sample.add("[0.1,0.2,0.3]");
            }
            batch.add(sample.toString());
        }
        return batch.toString();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
