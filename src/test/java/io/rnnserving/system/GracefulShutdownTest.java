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
 * flight, bodies still being streamed in or requests queued for a batched engine call when the signal arrives,
 * then exits.
 */
class GracefulShutdownTest {
    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");
    private static final int IN_FLIGHT = 8;
    private static final int SAMPLES = 64;

    @Test
    void sigtermCompletesRequestsInFlight() throws Exception {
        long millis = signalWhileServing(List.of(), () -> new SlowBody(body(), 4_000), ACTIVE_POSTS);
        assertThat(millis).as("it waited for the bodies still streaming in").isGreaterThanOrEqualTo(1_000);
    }

    @Test
    void sigtermAnswersRequestsQueuedForBatching() throws Exception {
        // the first request waits 3 s for company, the other seven queue behind it when the signal comes
        long millis = signalWhileServing(List.of("--rnn-serving.batching.max-delay=3s",
                "--rnn-serving.batching.max-samples=4096"), () -> new java.io.ByteArrayInputStream(body()),
                QUEUED_SAMPLES);
        assertThat(millis).as("it waited for the queued call").isGreaterThanOrEqualTo(500);
    }

    /** Starts the service, sends the requests, signals once {@code ready} counts them all, checks every answer. */
    private static long signalWhileServing(List<String> options, java.util.function.Supplier<InputStream> body,
                                           Pattern ready) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), RnnServingApplication.class.getName(), "--server.port=0",
                "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
        command.addAll(options);
        Process process = new ProcessBuilder(command)
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
                        .POST(HttpRequest.BodyPublishers.ofInputStream(body))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            // signal only once the server is serving every request: one still in its accept queue would be refused
            awaitMetric(client, serverPort, ready, ready == QUEUED_SAMPLES ? IN_FLIGHT * SAMPLES : IN_FLIGHT);
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
            reader.join(5_000);
            assertThat(output.toString()).doesNotContain("ERROR");
            return millis;
        } finally {
            process.destroyForcibly();
        }
    }

    private static final Pattern ACTIVE_POSTS = Pattern.compile(
            "(?m)^http_server_requests_active_seconds_gcount\\{[^}]*method=\"POST\"[^}]*} (\\d+)");

    private static final Pattern QUEUED_SAMPLES = Pattern.compile(
            "(?m)^rnn_batching_queue_samples\\{[^}]*} (\\d+)");

    private static void awaitMetric(HttpClient client, int port, Pattern metric, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int active = 0;
        while (System.nanoTime() < deadline) {
            String metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher matcher = metric.matcher(metrics);
            active = matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
            if (active >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("only " + active + " of " + count + " requests (or their samples) reached the server "
                + "in 30 s");
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
