package io.rnnserving.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A refused request costs no more CPU than a prediction of the notebook model: the process's CPU time (server and
 * this test's client, the same client work for every case) per request, for 404, 405, 400 and 415 against
 * POST /predict, each after a warm-up of the same length. It guards against a refusal growing costly again (a stack
 * trace, a log line, a search); the 404 that cost 8 predictions came from the static resource handler searching the
 * packaged jar, which the exploded classpath of a test does not show: scripts/error-cost.sh measures the jar
 * (docs/reliability.md). 1.5 leaves room for the reconnection Tomcat forces after a 400 and for noise.
 */
@RunningService
class RefusalCostTest {
    private static final int REQUESTS = 3000;
    private static final String X = "[[[0.1,0.2,0.3],[0.4,0.5,0.6],[0.7,0.8,0.9],[1.0,1.1,1.2],[1.3,1.4,1.5],"
            + "[1.6,1.7,1.8],[1.9,2.0,2.1],[2.2,2.3,2.4],[2.5,2.6,2.7],[2.8,2.9,3.0]]]";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aRefusedRequestCostsNoMoreThanAPrediction() throws Exception {
        Map<String, HttpRequest> cases = new LinkedHashMap<>();
        cases.put("predict", request("POST", "/predict", "application/json", "{\"x\": " + X + "}"));
        cases.put("404", request("GET", "/no/such/path", null, null));
        cases.put("405", request("PUT", "/predict", "application/json", "{\"x\": " + X + "}"));
        cases.put("400", request("POST", "/predict", "application/json", "{\"x\": [[[0.1, 0.2]]]}"));
        cases.put("415", request("POST", "/predict", "text/plain", "{\"x\": " + X + "}"));
        Map<String, Integer> statuses = Map.of("predict", 200, "404", 404, "405", 405, "400", 400, "415", 415);
        for (var entry : cases.entrySet()) {
            cpuNanosPerRequest(entry.getValue(), statuses.get(entry.getKey()));
        }
        Map<String, Double> cost = new LinkedHashMap<>();
        for (var entry : cases.entrySet()) {
            cost.put(entry.getKey(), cpuNanosPerRequest(entry.getValue(), statuses.get(entry.getKey())));
        }
        double prediction = cost.get("predict");
        for (String refusal : new String[] {"404", "405", "400", "415"}) {
            assertThat(cost.get(refusal)).as("CPU ns per request %s", cost).isLessThan(1.5 * prediction);
        }
    }

    private double cpuNanosPerRequest(HttpRequest request, int status) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long start = os.getProcessCpuTime();
        for (int i = 0; i < REQUESTS; i++) {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(status);
        }
        return (double) (os.getProcessCpuTime() - start) / REQUESTS;
    }

    private HttpRequest request(String method, String path, String contentType, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return contentType == null ? builder.build() : builder.header("Content-Type", contentType).build();
    }
}
