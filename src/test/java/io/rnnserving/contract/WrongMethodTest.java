package io.rnnserving.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Every path of the committed spec, of every protocol, refuses every method it does not list with 405 and an
 * {@code Allow} header naming exactly the methods it lists, in the protocol's own error format; OPTIONS answers
 * them with HEAD beside GET, and OPTIONS.
 */
@RunningService
class WrongMethodTest {
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
    private static final Map<String, String> PARAMETERS = Map.of("{name}", "notebook-simple-rnn", "{version}", "1");

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyPathRefusesEveryOtherMethodWith405AndAllow() throws Exception {
        JsonNode paths = YAMLMapper.builder().build().readTree(Files.readString(Path.of(OpenApiDocument.PATH)))
                .get("paths");
        List<String> checked = new ArrayList<>();
        for (String template : paths.propertyNames()) {
            if (template.endsWith("/load") || template.endsWith("/unload")) {
                // the repository's management paths answer 403 to any method while no management token is set
                continue;
            }
            String path = template;
            for (var parameter : PARAMETERS.entrySet()) {
                path = path.replace(parameter.getKey(), parameter.getValue());
            }
            Set<String> listed = new TreeSet<>();
            paths.get(template).propertyNames().forEach(method -> listed.add(method.toUpperCase()));
            Set<String> allow = new TreeSet<>(listed);
            if (allow.contains("GET")) {
                allow.add("HEAD");
            }
            allow.add("OPTIONS");
            for (String method : METHODS) {
                if (listed.contains(method)) {
                    continue;
                }
                HttpResponse<String> response = send(method, path);
                String what = method + " " + path + " answered " + response.body();
                assertThat(response.statusCode()).as(what).isEqualTo(405);
                assertThat(allowOf(response)).as(what).isEqualTo(listed);
                String body = response.body();
                if (path.startsWith("/v1/") || path.startsWith("/v2")) {
                    assertThat(JsonMapper.shared().readTree(body).get("error").asString()).as(what)
                            .startsWith("this endpoint does not take " + method + "; it takes ");
                } else {
                    assertThat(response.headers().firstValue("Content-Type")).as(what)
                            .hasValue("application/problem+json");
                    assertThat(body).as(what).contains("urn:rnn-serving:problem:method-not-allowed");
                }
                checked.add(method + " " + path);
            }
            HttpResponse<String> options = send("OPTIONS", path);
            assertThat(options.statusCode()).as("OPTIONS " + path).isEqualTo(200);
            assertThat(allowOf(options)).as("OPTIONS " + path).isEqualTo(allow);
        }
        assertThat(checked).contains("GET /v1/models/notebook-simple-rnn:predict", "POST /v2/health/live",
                "DELETE /v2/models/notebook-simple-rnn/infer", "PUT /predict", "POST /model",
                "GET /v1/models/notebook-simple-rnn/versions/1:predict");
    }

    @Test
    void anUnknownPathUnderAProtocolStays404() throws Exception {
        for (String path : List.of("/v1/models/notebook-simple-rnn:classify", "/v2/models/notebook-simple-rnn/explain",
                "/v1/nothing", "/v2/nothing")) {
            for (String method : List.of("GET", "POST")) {
                HttpResponse<String> response = send(method, path);
                assertThat(response.statusCode()).as(method + " " + path).isEqualTo(404);
                assertThat(response.headers().firstValue("Allow")).as(method + " " + path).isEmpty();
            }
        }
    }

    private static Set<String> allowOf(HttpResponse<String> response) {
        Set<String> allow = new TreeSet<>();
        response.headers().allValues("Allow").forEach(value ->
                Arrays.stream(value.split(",")).map(String::trim).forEach(allow::add));
        return allow;
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, method.equals("GET") || method.equals("OPTIONS") || method.equals("DELETE")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
