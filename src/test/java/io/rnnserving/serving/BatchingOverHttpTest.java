package io.rnnserving.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.rnnserving.RnnServingApplication;
import io.rnnserving.repository.ModelRepository;
import io.rnnserving.repository.ModelVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Batching seen from the wire: the service with batching on answers 500 concurrent requests of every protocol
 * (own JSON, KServe v2 JSON and binary tensor data, TF Serving),
 * with random shapes, lengths, initial states and outputs asked for, byte for byte as the same service with
 * batching off answers each of them sent alone (the JSON writer prints each double's shortest exact form, so equal
 * bytes are equal bits); a request not started within the queue timeout gets 503 with Retry-After; a client that
 * closes its connection while its request is queued is left out of the engine call.
 */
class BatchingOverHttpTest {
    private static final String MODEL = "batching";
    private static final int FEATURES = 4;
    private static final int UNITS_1 = 48;
    private static final int UNITS_2 = 32;

    @TempDir
    Path folder;

    private final Random random = new Random(1616);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** A request: its path, its body and, for a KServe binary body, the length of the JSON at its start. */
    private record Sent(String path, byte[] body, int binaryHeaderLength) {

        Sent(String path, String json) {
            this(path, json.getBytes(StandardCharsets.UTF_8), -1);
        }

        @Override
        public String toString() {
            return path + " " + new String(body, 0, binaryHeaderLength < 0 ? body.length : binaryHeaderLength,
                    StandardCharsets.UTF_8);
        }
    }

    @Test
    void fiveHundredConcurrentRequestsAnswerWhatEachAnswersAloneWithBatchingOff() throws Exception {
        Path model = writeModel();
        List<Sent> requests = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            requests.add(randomRequest());
        }
        List<String> alone = new ArrayList<>();
        try (ConfigurableApplicationContext off = start(model, "--rnn-serving.batching.enabled=false")) {
            for (Sent request : requests) {
                HttpResponse<String> answer = send(port(off), request);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                alone.add(answer.body());
            }
        }

        ExecutorService clients = Executors.newFixedThreadPool(48);
        try (ConfigurableApplicationContext on = start(model)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (Sent request : requests) {
                answers.add(clients.submit(() -> {
                    go.await();
                    return send(port(on), request);
                }));
            }
            go.countDown();
            for (int i = 0; i < requests.size(); i++) {
                HttpResponse<String> answer = answers.get(i).get(120, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(answer.body()).as("%s", requests.get(i)).isEqualTo(alone.get(i));
            }
            DistributionSummary requestsPerCall = on.getBean(MeterRegistry.class)
                    .get("rnn.batching.call.requests").tag("model", MODEL).summary();
            assertThat(requestsPerCall.totalAmount()).isEqualTo(500);
            assertThat(requestsPerCall.count()).as("fewer engine calls than requests").isLessThan(500);
            System.out.printf("500 requests in %d engine calls, at most %.0f in one%n", requestsPerCall.count(),
                    requestsPerCall.max());
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aRequestNotStartedWithinTheQueueTimeoutGets503WithRetryAfter() throws Exception {
        // the first request waits out max-delay for company; one arriving meanwhile outwaits its queue timeout
        try (ConfigurableApplicationContext service = start(writeModel(), "--rnn-serving.batching.max-delay=3s",
                "--rnn-serving.batching.queue-timeout=200ms")) {
            double[][][] x = new double[1][30][FEATURES];
            Sent one = new Sent("/predict", "{\"x\": " + json(x) + "}");
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> send(port(service), one));
            awaitQueued(service.getBean(ModelRepository.class), 1);

            HttpResponse<String> refused = send(port(service), one);
            HttpResponse<String> refusedKServe = send(port(service), new Sent("/v2/models/" + MODEL + "/infer",
                    "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 30, 4], \"datatype\": \"FP64\", \"data\": "
                            + json(x) + "}]}"));

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.body()).contains("\"type\":\"urn:rnn-serving:problem:service-unavailable\"")
                    .contains("queue timeout");
            assertThat(refusedKServe.statusCode()).isEqualTo(503);
            assertThat(refusedKServe.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refusedKServe.body()).startsWith("{\"error\":");
            assertThat(service.getBean(MeterRegistry.class).get("rnn.batching.dropped").tag("model", MODEL)
                    .tag("reason", "queue-timeout").counter().count()).isEqualTo(2);
            assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aClientThatHangsUpWhileQueuedIsLeftOutOfTheCallAndTheOthersAreAnswered() throws Exception {
        // the first request's call waits out max-delay for company: the engine is taken while the others queue
        try (ConfigurableApplicationContext service = start(writeModel(), "--rnn-serving.batching.max-delay=3s")) {
            MeterRegistry meters = service.getBean(MeterRegistry.class);
            ModelRepository repository = service.getBean(ModelRepository.class);
            Sent first = new Sent("/predict", "{\"x\": " + json(randomX(1, 30)) + "}");
            Sent leaving = new Sent("/predict", "{\"x\": " + json(randomX(2, 30)) + "}");
            Sent staying = new Sent("/v2/models/" + MODEL + "/infer", "{\"inputs\": [" + tensor("x", "FP64",
                    new int[] {3, 25, FEATURES}, json(randomX(3, 25))) + "]}");
            CompletableFuture<HttpResponse<String>> firstAnswer =
                    CompletableFuture.supplyAsync(() -> send(port(service), first));
            awaitQueued(repository, 1);
            try (Socket socket = new Socket("127.0.0.1", port(service))) {
                socket.getOutputStream().write(raw(leaving, false));
                awaitQueued(repository, 3);
            }
            CompletableFuture<HttpResponse<String>> stayingAnswer =
                    CompletableFuture.supplyAsync(() -> send(port(service), staying));

            HttpResponse<String> firstReply = firstAnswer.get(30, TimeUnit.SECONDS);
            HttpResponse<String> stayingReply = stayingAnswer.get(30, TimeUnit.SECONDS);

            assertThat(meters.get("rnn.batching.dropped").tag("model", MODEL).tag("reason", "client-gone").counter()
                    .count()).isEqualTo(1);
            DistributionSummary samplesPerCall = meters.get("rnn.batching.call.samples").tag("model", MODEL).summary();
            assertThat(samplesPerCall.count()).as("one engine call").isEqualTo(1);
            assertThat(samplesPerCall.totalAmount()).as("the first's 1 sample and the staying one's 3").isEqualTo(4);
            assertThat(firstReply.statusCode()).isEqualTo(200);
            assertThat(stayingReply.statusCode()).isEqualTo(200);
            assertThat(firstReply.body()).isEqualTo(send(port(service), first).body());
            assertThat(stayingReply.body()).isEqualTo(send(port(service), staying).body());
        }
    }

    @Test
    void aClientThatSendsItsNextRequestWhileTheFirstIsQueuedIsNotTakenForGone() throws Exception {
        try (ConfigurableApplicationContext service = start(writeModel(), "--rnn-serving.batching.max-delay=2s")) {
            ModelRepository repository = service.getBean(ModelRepository.class);
            Sent first = new Sent("/predict", "{\"x\": " + json(randomX(1, 30)) + "}");
            Sent queued = new Sent("/predict", "{\"x\": " + json(randomX(2, 30)) + "}");
            Sent next = new Sent("/v1/models/" + MODEL + ":predict", "{\"instances\": " + json(randomX(1, 20)) + "}");
            CompletableFuture<HttpResponse<String>> firstAnswer =
                    CompletableFuture.supplyAsync(() -> send(port(service), first));
            awaitQueued(repository, 1);
            String replies;
            try (Socket socket = new Socket("127.0.0.1", port(service))) {
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(raw(queued, false));
                awaitQueued(repository, 3);
                // pipelined: the queued request's check reads these bytes, which must still reach Tomcat
                socket.getOutputStream().write(raw(next, true));
                replies = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }

            assertThat(firstAnswer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(replies.split("HTTP/1.1 200 ", -1)).as(replies).hasSize(3);
            assertThat(replies).contains(send(port(service), queued).body()).contains(send(port(service), next).body());
            assertThat(service.getBean(MeterRegistry.class).get("rnn.batching.dropped").tag("model", MODEL)
                    .tag("reason", "client-gone").counter().count()).isZero();
        }
    }

    /** A request as a raw HTTP/1.1 client sends it, asking the server to close the connection after it or not. */
    private static byte[] raw(Sent request, boolean close) {
        byte[] head = ("POST " + request.path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + (close ? "Connection: close\r\n" : "") + "Content-Length: " + request.body().length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + request.body().length);
        System.arraycopy(request.body(), 0, all, head.length, request.body().length);
        return all;
    }

    private double[][][] randomX(int samples, int steps) {
        double[][][] x = new double[samples][steps][FEATURES];
        for (double[][] sample : x) {
            for (double[] step : sample) {
                for (int d = 0; d < FEATURES; d++) {
                    step[d] = random.nextGaussian();
                }
            }
        }
        return x;
    }

    private static void awaitQueued(ModelRepository repository, int samples) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (queued(repository) < samples) {
            assertThat(System.nanoTime()).as("a request reaches the queue").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static int queued(ModelRepository repository) {
        try (ModelVersion.Lease lease = repository.acquireLatest(MODEL)) {
            return lease.served().queuedSamples();
        }
    }

    /** One of /predict, KServe v2 JSON or TF Serving, with random N, T, lengths, states and outputs. */
    private Sent randomRequest() {
        int samples = 1 + random.nextInt(4);
        // 5,235 parameters: a request of fewer than 20 samples × steps is small and runs at once, beside any call
        int steps = 1 + random.nextInt(30);
        double[][][] x = new double[samples][steps][FEATURES];
        int[] lengths = new int[samples];
        for (int n = 0; n < samples; n++) {
            lengths[n] = 1 + random.nextInt(steps);
            for (double[] step : x[n]) {
                for (int d = 0; d < FEATURES; d++) {
                    step[d] = random.nextInt(10) == 0 ? 0.0 : random.nextGaussian();
                }
            }
        }
        double[][] h1 = matrix(samples, UNITS_1);
        double[][] h2 = matrix(samples, UNITS_2);
        return switch (random.nextInt(4)) {
            case 0 -> {
                StringBuilder body = new StringBuilder("{\"x\": ").append(json(x));
                if (random.nextBoolean()) {
                    body.append(", \"lengths\": ").append(json(lengths));
                }
                boolean first = random.nextBoolean();
                boolean second = random.nextBoolean();
                if (first || second) {
                    body.append(", \"h0\": {");
                    body.append(first ? "\"rnn_1\": " + json(h1) : "");
                    body.append(first && second ? ", " : "").append(second ? "\"rnn_2\": " + json(h2) : "");
                    body.append('}');
                }
                body.append(", \"trace\": ").append(random.nextBoolean());
                body.append(", \"returnState\": ").append(random.nextBoolean()).append('}');
                yield new Sent("/predict", body.toString());
            }
            case 1 -> {
                List<String> inputs = new ArrayList<>();
                inputs.add(tensor("x", "FP64", new int[] {samples, steps, FEATURES}, json(x)));
                if (random.nextBoolean()) {
                    inputs.add(tensor("lengths", "INT64", new int[] {samples}, json(lengths)));
                }
                if (random.nextBoolean()) {
                    inputs.add(tensor("h0/rnn_1", "FP64", new int[] {samples, UNITS_1}, json(h1)));
                }
                if (random.nextBoolean()) {
                    inputs.add(tensor("h0/rnn_2", "FP64", new int[] {samples, UNITS_2}, json(h2)));
                }
                List<String> outputs = new ArrayList<>();
                for (String name : new String[] {"yhat", "hidden", "hidden/rnn_1", "state/rnn_1", "state/rnn_2"}) {
                    if (random.nextBoolean()) {
                        outputs.add("{\"name\": \"" + name + "\"}");
                    }
                }
                yield new Sent("/v2/models/" + MODEL + "/infer", "{\"inputs\": [" + String.join(", ", inputs) + "]"
                        + (outputs.isEmpty() ? "" : ", \"outputs\": [" + String.join(", ", outputs) + "]") + "}");
            }
            case 2 -> {
                // KServe binary tensor data: x as raw little-endian FP64 after the JSON
                ByteBuffer data = ByteBuffer.allocate(samples * steps * FEATURES * Double.BYTES)
                        .order(ByteOrder.LITTLE_ENDIAN);
                for (double[][] sample : x) {
                    for (double[] step : sample) {
                        for (double value : step) {
                            data.putDouble(value);
                        }
                    }
                }
                String header = "{\"inputs\": [{\"name\": \"x\", \"shape\": " + json(new int[] {samples, steps, FEATURES})
                        + ", \"datatype\": \"FP64\", \"parameters\": {\"binary_data_size\": " + data.capacity() + "}}"
                        + (random.nextBoolean() ? ", " + tensor("h0/rnn_2", "FP64", new int[] {samples, UNITS_2}, json(h2))
                        : "") + "], \"outputs\": [{\"name\": \"yhat\"}, {\"name\": \"state/rnn_1\"}]}";
                byte[] json = header.getBytes(StandardCharsets.UTF_8);
                byte[] body = Arrays.copyOf(json, json.length + data.capacity());
                System.arraycopy(data.array(), 0, body, json.length, data.capacity());
                yield new Sent("/v2/models/" + MODEL + "/infer", body, json.length);
            }
            default -> new Sent("/v1/models/" + MODEL + ":predict", "{\"instances\": " + json(x) + "}");
        };
    }

    private double[][] matrix(int rows, int columns) {
        double[][] m = new double[rows][columns];
        for (double[] row : m) {
            for (int j = 0; j < columns; j++) {
                row[j] = random.nextGaussian() * 0.5;
            }
        }
        return m;
    }

    /** Masking → SimpleRNN(48, sequences) → SimpleRNN(32) → Dense(3): the SIMD step kernel, stacked states. */
    private Path writeModel() throws IOException {
        String json = """
                {"name": "%s", "inputShape": [null, %d], "layers": [
                  {"type": "Masking", "maskValue": 0.0},
                  {"type": "SimpleRNN", "name": "rnn_1", "units": %d, "activation": "tanh", "returnSequences": true,
                   "kernel": %s, "recurrentKernel": %s, "bias": %s},
                  {"type": "SimpleRNN", "name": "rnn_2", "units": %d, "activation": "tanh",
                   "kernel": %s, "recurrentKernel": %s, "bias": %s},
                  {"type": "Dense", "name": "dense", "units": 3, "activation": "linear", "kernel": %s, "bias": %s}]}
                """.formatted(MODEL, FEATURES, UNITS_1, json(weights(FEATURES, UNITS_1)), json(weights(UNITS_1, UNITS_1)),
                json(weights(1, UNITS_1)[0]), UNITS_2, json(weights(UNITS_1, UNITS_2)), json(weights(UNITS_2, UNITS_2)),
                json(weights(1, UNITS_2)[0]), json(weights(UNITS_2, 3)), json(weights(1, 3)[0]));
        Path file = folder.resolve("batching.json");
        Files.writeString(file, json);
        return file;
    }

    private double[][] weights(int rows, int columns) {
        double[][] w = matrix(rows, columns);
        for (double[] row : w) {
            for (int j = 0; j < columns; j++) {
                row[j] /= Math.sqrt(rows);
            }
        }
        return w;
    }

    private static String tensor(String name, String datatype, int[] shape, String data) {
        return "{\"name\": \"" + name + "\", \"shape\": " + json(shape) + ", \"datatype\": \"" + datatype
                + "\", \"data\": " + data + "}";
    }

    private static String json(Object array) {
        StringBuilder out = new StringBuilder("[");
        int length = java.lang.reflect.Array.getLength(array);
        for (int i = 0; i < length; i++) {
            Object item = java.lang.reflect.Array.get(array, i);
            out.append(i > 0 ? "," : "").append(item.getClass().isArray() ? json(item) : item.toString());
        }
        return out.append(']').toString();
    }

    private static ConfigurableApplicationContext start(Path model, String... options) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off", "--model.warm-up=0s", "--model.path=" + model));
        args.addAll(List.of(options));
        return SpringApplication.run(RnnServingApplication.class, args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private HttpResponse<String> send(int port, Sent request) {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + request.path()))
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
            if (request.binaryHeaderLength() < 0) {
                builder.header("Content-Type", "application/json");
            } else {
                builder.header("Content-Type", "application/octet-stream")
                        .header("Inference-Header-Content-Length", Integer.toString(request.binaryHeaderLength()));
            }
            return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
