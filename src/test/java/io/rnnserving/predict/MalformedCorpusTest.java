package io.rnnserving.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays every request of {@code src/test/resources/malformed/corpus.jsonl} (made by {@code make_corpus.py} beside
 * it, expectations written from the API's rules) against the running server, with small limits so that each limit
 * is reachable in a few kilobytes. POST /predict answers problem+json; the KServe binary requests (/v2/...) answer
 * the protocol's {"error": "..."}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rnn-serving.limits.max-body-size=64KB", "rnn-serving.limits.max-samples=16",
        "rnn-serving.limits.max-steps=50", "rnn-serving.limits.max-values=600"})
class MalformedCorpusTest {
    static final List<String> LEAKS = List.of("Exception", "at io.", "/work/", "java.", "\tat ", "Tomcat",
            "org.springframework");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void everyCorpusRequestGetsItsExpectedAnswer() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String> mismatches = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int count = 0;
        for (JsonNode entry : corpus()) {
            count++;
            HttpResponse<String> response = client.send(request(entry), HttpResponse.BodyHandlers.ofString());
            statuses.merge(response.statusCode(), 1, Integer::sum);
            String problem = check(entry, response);
            if (problem != null) {
                mismatches.add(entry.get("name").asString() + ": " + problem + "\n    got " + response.statusCode() + " "
                        + abbreviate(response.body()));
            }
        }
        System.out.println("malformed corpus: " + count + " requests, statuses " + statuses);
        assertThat(count).isGreaterThanOrEqualTo(200);
        assertThat(mismatches).as("requests whose answer differs from the corpus").isEmpty();
    }

    static List<JsonNode> corpus() throws IOException {
        List<JsonNode> entries = new ArrayList<>();
        try (InputStream in = MalformedCorpusTest.class.getResourceAsStream("/malformed/corpus.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    entries.add(JSON.readTree(line));
                }
            }
        }
        return entries;
    }

    private HttpRequest request(JsonNode entry) {
        byte[] body = entry.has("bodyBase64") ? Base64.getDecoder().decode(entry.get("bodyBase64").asString())
                : entry.has("body") ? entry.get("body").asString().getBytes(StandardCharsets.UTF_8) : null;
        if (body != null && entry.has("padding")) {
            byte[] padded = new byte[body.length + entry.get("padding").asInt()];
            System.arraycopy(body, 0, padded, 0, body.length);
            java.util.Arrays.fill(padded, body.length, padded.length, (byte) ' ');
            body = padded;
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + entry.get("path").asString()))
                .timeout(Duration.ofSeconds(10))
                .method(entry.get("method").asString(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (entry.has("contentType")) {
            builder.header("Content-Type", entry.get("contentType").asString());
        }
        if (entry.has("accept")) {
            builder.header("Accept", entry.get("accept").asString());
        }
        if (entry.has("headers")) {
            entry.get("headers").properties().forEach(header -> builder.header(header.getKey(), header.getValue().asString()));
        }
        return builder.build();
    }

    /** What is wrong with the answer, or null when it is the expected one. */
    private static String check(JsonNode entry, HttpResponse<String> response) {
        int status = entry.get("status").asInt();
        String body = response.body();
        if (response.statusCode() != status) {
            return "expected status " + status;
        }
        for (String leak : LEAKS) {
            if (body.contains(leak)) {
                return "the body leaks '" + leak + "'";
            }
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (entry.get("path").asString().startsWith("/v2/")) {
            return checkKServe(entry, response, contentType);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (RuntimeException e) {
            return "the body is not JSON";
        }
        if (status == 200) {
            return contentType.startsWith("application/json") && answer.has("yhat") ? null : "expected a yhat";
        }
        if (!contentType.startsWith("application/problem+json")) {
            return "expected application/problem+json, got " + contentType;
        }
        String type = "urn:rnn-serving:problem:" + entry.get("type").asString();
        if (!type.equals(answer.path("type").asString()) || answer.path("status").asInt() != status
                || answer.path("detail").asString("").isBlank()) {
            return "expected type " + type + " with its status and a detail";
        }
        if (entry.has("pointer")) {
            JsonNode expected = entry.get("pointer");
            if (expected.isNull() ? answer.has("pointer") : !expected.asString().equals(answer.path("pointer").asString(null))) {
                return "expected pointer " + expected;
            }
        }
        return null;
    }

    /** What is wrong with a KServe answer: {"error": ...} containing the expected text, or the asked outputs. */
    private static String checkKServe(JsonNode entry, HttpResponse<String> response, String contentType) {
        String body = response.body();
        if (contentType.startsWith("application/octet-stream")) {
            int jsonLength = response.headers().firstValue("Inference-Header-Content-Length").map(Integer::parseInt)
                    .orElse(-1);
            if (response.statusCode() != 200 || jsonLength < 0) {
                return "expected binary outputs to come with 200 and Inference-Header-Content-Length";
            }
            // the JSON is ASCII here, so its bytes are its characters
            body = body.substring(0, jsonLength);
        } else if (!contentType.startsWith("application/json")) {
            return "expected application/json, got " + contentType;
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (RuntimeException e) {
            return "the body is not JSON";
        }
        if (response.statusCode() == 200) {
            return answer.has("model_name") && answer.has("outputs") ? null : "expected model_name and outputs";
        }
        if (!answer.propertyNames().equals(java.util.Set.of("error"))) {
            return "expected {\"error\": ...} alone";
        }
        JsonNode expected = entry.get("error");
        for (JsonNode text : expected.isArray() ? expected : List.of(expected)) {
            if (!answer.get("error").asString().contains(text.asString())) {
                return "expected an error containing '" + text.asString() + "'";
            }
        }
        return null;
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
