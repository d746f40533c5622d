package io.rnnserving.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A refused request (404, 405, 400, 415, on every protocol) creates no exception that fills its stack trace while it
 * is dispatched: JFR records every Throwable made while the requests are served, and none of them is reflection's
 * wrapper or one of Spring's own refusals as Spring makes them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RefusalsWithoutStackWalksTest {
    private static final String X = "[[[0.1,0.2,0.3],[0.4,0.5,0.6]]]";
    /** Each fills its stack trace when made the usual way. */
    private static final Set<String> STACK_WALKING = Set.of("java.lang.reflect.InvocationTargetException",
            "org.springframework.web.servlet.NoHandlerFoundException",
            "org.springframework.web.HttpRequestMethodNotSupportedException",
            "org.springframework.web.HttpMediaTypeNotSupportedException");

    private record Refused(String method, String path, String contentType, String body, int status) {
    }

    private static final List<Refused> REFUSED = List.of(
            new Refused("GET", "/no/such/path", null, null, 404),
            new Refused("GET", "/v2/no/such/path", null, null, 404),
            new Refused("GET", "/v1/no/such/path", null, null, 404),
            new Refused("PUT", "/predict", "application/json", "{\"x\":" + X + "}", 405),
            new Refused("GET", "/v1/models/notebook-simple-rnn:predict", null, null, 405),
            new Refused("DELETE", "/v2/models/notebook-simple-rnn/infer", null, null, 405),
            new Refused("POST", "/predict", "application/json", "{\"x\":[[[0.1,0.2]]]}", 400),
            new Refused("POST", "/v1/models/notebook-simple-rnn:predict", "application/json",
                    "{\"instances\":[[[0.1,0.2]]]}", 400),
            new Refused("POST", "/v2/models/notebook-simple-rnn/infer", "application/json", "{\"inputs\":[{\"name\":"
                    + "\"x\",\"shape\":[1,1,2],\"datatype\":\"FP32\",\"data\":[0.1,0.2]}]}", 400),
            new Refused("POST", "/predict", "text/plain", "{\"x\":" + X + "}", 415));

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void refusalsMakeNoExceptionThatWalksTheStack() throws Exception {
        Path file = Files.createTempFile("refusals", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.JavaExceptionThrow").withStackTrace();
            recording.start();
            for (Refused refused : REFUSED) {
                assertThat(send(refused)).as(refused.method() + " " + refused.path()).isEqualTo(refused.status());
            }
            recording.stop();
            recording.dump(file);
        }
        List<String> thrownWhileServing = RecordingFile.readAllEvents(file).stream()
                .filter(RefusalsWithoutStackWalksTest::madeWhileDispatching)
                .map(RefusalsWithoutStackWalksTest::thrownClass)
                .toList();
        Files.delete(file);
        // the refusals themselves are recorded: the recording saw the requests being served
        assertThat(thrownWhileServing).contains("io.rnnserving.problem.InvalidRequestException");
        assertThat(thrownWhileServing).doesNotContainAnyElementsOf(STACK_WALKING);
    }

    private int send(Refused refused) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + refused.path()))
                .method(refused.method(), refused.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(refused.body()));
        if (refused.contentType() != null) {
            request.header("Content-Type", refused.contentType());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Made by a request's dispatch, on whichever thread the web server serves it. */
    private static boolean madeWhileDispatching(RecordedEvent event) {
        return event.getStackTrace() != null && event.getStackTrace().getFrames().stream().anyMatch(frame ->
                frame.getMethod().getType().getName().equals("org.springframework.web.servlet.DispatcherServlet"));
    }

    private static String thrownClass(RecordedEvent event) {
        return event.getClass("thrownClass").getName();
    }
}
