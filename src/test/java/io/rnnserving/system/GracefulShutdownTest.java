package io.rnnserving.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rnnserving.RnnServingApplication;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM during load: the application (its own process) stops taking connections but completes the requests in
 * flight, here bodies still being streamed in when the signal arrives, then exits.
 */
class GracefulShutdownTest {
    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");
    private static final int IN_FLIGHT = 8;
    private static final int SAMPLES = 64;

    @Test
    void sigtermCompletesRequestsInFlight() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), RnnServingApplication.class.getName(), "--server.port=0",
                "--server.address=127.0.0.1", "--spring.main.banner-mode=off"))
                .redirectErrorStream(true)
                .start();
        StringBuffer output = new StringBuffer();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                    Matcher started = STARTED.matcher(line);
                    if (started.find()) {
                        port.complete(Integer.parseInt(started.group(1)));
                    }
                }
            } catch (java.io.IOException e) {
                port.completeExceptionally(e);
            }
        });
        reader.start();
        try {
            int serverPort = port.get(120, TimeUnit.SECONDS);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                responses.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort
                                + "/predict"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SlowBody(body(), 4_000)))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            // signal only once the server is serving every request: one still in its accept queue would be refused
            awaitActivePosts(client, serverPort, IN_FLIGHT);
            long signalled = System.nanoTime();
            process.destroy();

            for (CompletableFuture<HttpResponse<String>> response : responses) {
                HttpResponse<String> answer = response.get(60, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).startsWith("{\"yhat\":[[");
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process exits").isTrue();
            long millis = (System.nanoTime() - signalled) / 1_000_000;
            System.out.println("SIGTERM with " + IN_FLIGHT + " requests in flight: all answered 200, exit "
                    + process.exitValue() + " after " + millis + " ms");
            // 143 = 128 + SIGTERM: how the JVM reports an exit caused by the signal once its shutdown hooks have run
            assertThat(process.exitValue()).isEqualTo(143);
            assertThat(millis).as("it waited for the bodies still streaming in").isGreaterThanOrEqualTo(1_000);
            reader.join(5_000);
            assertThat(output.toString()).doesNotContain("ERROR");
        } finally {
            process.destroyForcibly();
        }
    }

    private static final Pattern ACTIVE_POSTS = Pattern.compile(
            "(?m)^http_server_requests_active_seconds_gcount\\{[^}]*method=\"POST\"[^}]*} (\\d+)");

    private static void awaitActivePosts(HttpClient client, int port, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int active = 0;
        while (System.nanoTime() < deadline) {
            String metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher matcher = ACTIVE_POSTS.matcher(metrics);
            active = matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
            if (active >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("only " + active + " of " + count + " requests reached the server in 30 s");
    }

    private static byte[] body() {
        StringBuilder json = new StringBuilder("{\"x\": [");
        for (int n = 0; n < SAMPLES; n++) {
            json.append(n > 0 ? ", [" : "[");
            for (int t = 0; t < 100; t++) {
                json.append(t > 0 ? ", " : "").append("[0.1, 0.2, ").append(n / 100.0).append(']');
            }
            json.append(']');
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Hands out its bytes in 20 pieces spread over {@code millis}. */
    private static final class SlowBody extends InputStream {
        private final byte[] bytes;
        private final long pause;
        private int position;

        SlowBody(byte[] bytes, long millis) {
            this.bytes = bytes;
            this.pause = millis / 20;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= bytes.length) {
                return -1;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int count = Math.min(Math.min(length, bytes.length / 20 + 1), bytes.length - position);
            System.arraycopy(bytes, position, buffer, offset, count);
            position += count;
            return count;
        }
    }
}
