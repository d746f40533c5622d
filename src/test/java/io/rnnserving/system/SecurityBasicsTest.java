package io.rnnserving.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/** What an outsider can learn from the service: no internals in any answer, few endpoints, no payloads in logs. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rnn-serving.limits.max-body-size=64KB", "rnn-serving.limits.max-samples=16",
        "rnn-serving.limits.max-steps=50", "rnn-serving.limits.max-values=600"})
@ExtendWith(OutputCaptureExtension.class)
class SecurityBasicsTest {
    private static final String[] LEAKS = {"Exception", "at io.", "/work/", "java.", "\tat ", "Tomcat/",
        "org.springframework"};

    @LocalServerPort
    int port;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/env", "/actuator/beans", "/actuator/heapdump", "/actuator/threaddump",
        "/actuator/configprops", "/actuator/loggers", "/actuator/mappings", "/actuator/shutdown"})
    void onlyHealthAndPrometheusAreExposed(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("urn:rnn-serving:problem:not-found");
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(200);
    }

    @Test
    void payloadsAreNotLogged(CapturedOutput output) throws Exception {
        for (String body : new String[] {"{\"x\": [[[0.7654321, 0.8765432, 0.9876543]]]}",
            "{\"x\": [[[0.7654321, NaN, 0.9876543]]]}", "{\"x\": [[[0.7654321, 0.8765432]]]}",
            "{\"x\": [[[0.7654321, 0.8765432, 0.9876543]]], \"secret\": 0.5432198}"}) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/predict")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isIn(200, 400);
        }
        assertThat(output.getAll()).doesNotContain("7654321", "8765432", "9876543", "5432198");
    }

    /** Requests Tomcat refuses itself, sent raw because a well-behaved client cannot send them. */
    @ParameterizedTest
    @ValueSource(strings = {
        "GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /predict?%zz=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /a b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "TRACE /predict HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GARBAGE\r\n\r\n",
        "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
        "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n"
                + "Content-Length: 7\r\nConnection: close\r\n\r\n{\"x\":1}",
        "GET /predict HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\nConnection: close\r\n\r\n"})
    void containerLevelFailuresLeakNothing(String request) throws Exception {
        String response = raw(request.replace("{big}", "a".repeat(20_000)));
        assertThat(response).startsWith("HTTP/1.1 4");
        for (String leak : LEAKS) {
            assertThat(response).doesNotContain(leak);
        }
    }

    @Test
    void aTraceRequestIsRefusedAsAProblem() throws Exception {
        String response = raw("TRACE /predict HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 405").contains("application/problem+json")
                .contains("urn:rnn-serving:problem:method-not-allowed");
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
