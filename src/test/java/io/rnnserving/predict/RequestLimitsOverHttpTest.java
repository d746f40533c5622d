package io.rnnserving.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The body limit holds for a chunked body, which declares no length: the reader counts what it reads. The other
 * limits (N, T, N×T×D, declared length) are in the malformed corpus, replayed with the same settings.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rnn-serving.limits.max-body-size=64KB", "rnn-serving.limits.max-samples=16",
        "rnn-serving.limits.max-steps=50", "rnn-serving.limits.max-values=600"})
class RequestLimitsOverHttpTest {
    private static final int LIMIT = 64 * 1024;

    @LocalServerPort
    int port;

    private HttpResponse<String> postChunked(String head, int spaces, String tail) throws Exception {
        var body = new SequenceInputStream(new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)),
                new SequenceInputStream(new ByteArrayInputStream(" ".repeat(spaces).getBytes(StandardCharsets.UTF_8)),
                        new ByteArrayInputStream(tail.getBytes(StandardCharsets.UTF_8))));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/predict"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void chunkedBodyPastTheLimitIs413() throws Exception {
        HttpResponse<String> response = postChunked("{\"x\": [[[0.1, 0.2, 0.3]]]", LIMIT, "}");
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("urn:rnn-serving:problem:body-too-large")
                .contains("larger than the limit of 65536 bytes").doesNotContain("pointer");
    }

    @Test
    void aSequencePastTheStepLimitIsReportedWithItsRealLength() throws Exception {
        String steps = String.join(",", java.util.Collections.nCopies(1000, "[0.1, 0.2, 0.3]"));
        HttpResponse<String> response = postChunked("{\"x\": [[" + steps + "]]", 0, "}");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("a sequence has 1000 steps; the limit is 50");
    }

    @Test
    void chunkedBodyWithinTheLimitIsServed() throws Exception {
        String head = "{\"x\": [[[0.1, 0.2, 0.3]]]";
        HttpResponse<String> response = postChunked(head, LIMIT - head.length() - 1, "}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("yhat");
    }
}
