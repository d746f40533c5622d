package io.rnnserving.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Without a management token, load and unload are refused whatever the request carries; every other endpoint
 * answers as it would without Spring Security: no CSRF check on POST, no session, no added headers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ManagementSecurityTest {
    private static final String NOTEBOOK = "{\"x\": [[[0.1,0.2,0.3]]]}";

    @LocalServerPort
    int port;

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void loadAndUnloadAreRefusedWhileNoTokenIsConfigured() throws Exception {
        for (String action : new String[] {"load", "unload"}) {
            for (String[] headers : new String[][] {{}, {"Authorization", "Bearer anything"}}) {
                HttpResponse<String> response = post("/v2/repository/models/notebook-simple-rnn/" + action, "", headers);
                assertThat(response.statusCode()).isEqualTo(403);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/json"));
                assertThat(response.body()).startsWith("{\"error\":\"loading and unloading models is off: set "
                        + "rnn-serving.management.token");
            }
        }
        // still served: nothing was unloaded
        assertThat(post("/predict", NOTEBOOK).statusCode()).isEqualTo(200);
    }

    @Test
    void everyOtherEndpointAnswersWithoutSecurityHeadersSessionsOrCsrf() throws Exception {
        for (String path : new String[] {"/predict", "/models/notebook-simple-rnn/predict", "/v2/repository/index"}) {
            HttpResponse<String> response = post(path, path.startsWith("/v2") ? "{}" : NOTEBOOK);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().map().keySet()).as(path).doesNotContain("cache-control", "pragma",
                    "expires", "x-frame-options", "x-content-type-options", "x-xss-protection", "set-cookie",
                    "www-authenticate");
        }
    }
}
