package io.rnnserving.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.loading.ModelFileReader;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** 1,000 concurrent requests with distinct inputs: each answer is its own input's, none crossed or lost. */
// answers are compared with the engine to 1e-12: both compute the float32 default model in float64
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "model.precision=float64")
class ConcurrentPredictTest {
    private static final int REQUESTS = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void everyAnswerMatchesItsOwnInput() throws Exception {
        RecurrentModel model = ModelFileReader.readDefault().model().withPrecision(Precision.FLOAT64);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                int id = i;
                answers.add(pool.submit(() -> {
                    double[][][] x = input(id);
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/predict"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of("x", x))))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        return "request " + id + ": status " + response.statusCode();
                    }
                    ForwardResult expected = model.predict(SequenceBatch.of(x));
                    JsonNode yhat = JSON.readTree(response.body()).get("yhat");
                    for (int n = 0; n < x.length; n++) {
                        for (int k = 0; k < expected.outputWidth(); k++) {
                            double want = expected.output()[n * expected.outputWidth() + k];
                            if (Math.abs(yhat.get(n).get(k).asDouble() - want) > 1e-12) {
                                return "request " + id + ": yhat[" + n + "][" + k + "] is " + yhat.get(n).get(k)
                                        + ", its input gives " + want;
                            }
                        }
                    }
                    return null;
                }));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<String> answer : answers) {
                String problem = answer.get(120, TimeUnit.SECONDS);
                if (problem != null) {
                    wrong.add(problem);
                }
            }
            assertThat(wrong).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    /** A sequence only request {@code id} sends: 1 to 3 samples of 1 to 12 steps, values from the id. */
    private static double[][][] input(int id) {
        java.util.Random random = new java.util.Random(id);
        double[][][] x = new double[1 + id % 3][][];
        for (int n = 0; n < x.length; n++) {
            x[n] = new double[1 + random.nextInt(12)][3];
            for (double[] step : x[n]) {
                for (int d = 0; d < 3; d++) {
                    step[d] = id / 100.0 + random.nextGaussian();
                }
            }
        }
        return x;
    }
}
