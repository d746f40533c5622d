package io.rnnserving.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.rnnserving.RunningServer;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.loading.ModelFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A new version copied into the repository of a running service while 8 threads send requests over the three
 * protocols: no request fails, every answer is exactly version 1's or version 2's, and once GET /models shows
 * version 2 AVAILABLE every request sent after that is answered by version 2.
 */
class HotSwapOverHttpTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int THREADS = 8;
    /** The README sequence, T=10, D=3. */
    private static final double[][] X = {{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}, {0.7, 0.8, 0.9}, {1.0, 1.1, 1.2},
        {1.3, 1.4, 1.5}, {1.6, 1.7, 1.8}, {1.9, 2.0, 2.1}, {2.2, 2.3, 2.4}, {2.5, 2.6, 2.7}, {2.8, 2.9, 3.0}};

    @TempDir
    Path repo;

    /** One way to ask for the notebook model's answer, and where the answer's two outputs are. */
    private record Protocol(String name, String path, String body, Function<JsonNode, JsonNode> outputs) {
    }

    /** One request as a thread saw it. */
    private record Answer(String protocol, long sentNanos, double[] outputs, int status, String body) {
    }

    @Test
    void aVersionCopiedInUnderLoadIsSwappedInWithoutAFailedOrMixedAnswer() throws Exception {
        RepositoryFiles.writeVersion(repo, "notebook", 1, "model.json", RepositoryFiles.notebookFloat64());
        RepositoryFiles.writeVersion(repo, "rnn", 1, "model.keras", RepositoryFiles.keras("rnn_tanh_dense.keras", 1));
        double[] one = answer(ModelFileReader.read(repo.resolve("notebook/1/model.json"), null).model(), X);
        String secondVersion = RepositoryFiles.notebookWithDenseBias(1.1, -0.1);
        // the server computes every model in float64 (model.precision below), so does this reference
        RecurrentModel rnn = ModelFileReader.read(repo.resolve("rnn/1/model.keras"), null).model()
                .withPrecision(io.rnnserving.engine.Precision.FLOAT64);
        double[][] rnnX = new double[4][rnn.inputFeatures()];
        for (double[] step : rnnX) {
            Arrays.fill(step, 0.3);
        }
        double[] rnnAnswer = answer(rnn, rnnX);

        String x = JSON.writeValueAsString(X);
        String xFlat = JSON.writeValueAsString(Arrays.stream(X).flatMapToDouble(Arrays::stream).toArray());
        List<Protocol> protocols = List.of(
                new Protocol("own", "/models/notebook/predict", "{\"x\": [" + x + "]}", reply -> reply.get("yhat").get(0)),
                new Protocol("kserve", "/v2/models/notebook/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 10, 3], "
                        + "\"datatype\": \"FP64\", \"data\": " + xFlat + "}]}", reply -> reply.get("outputs").get(0).get("data")),
                new Protocol("tfserving", "/v1/models/notebook:predict", "{\"instances\": [" + x + "]}",
                        reply -> reply.get("predictions").get(0)),
                new Protocol("rnn", "/models/rnn/predict", "{\"x\": [" + JSON.writeValueAsString(rnnX) + "]}",
                        reply -> reply.get("yhat").get(0)));

        // answers are compared to 1e-12 across versions: the float32 models compute in float64 here
        try (RunningServer server = RunningServer.start("--model.repository=" + repo, "--model.poll-interval=100ms",
                "--model.warm-up=0", "--model.precision=float64")) {
            List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger sent = new AtomicInteger();
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            CountDownLatch done = new CountDownLatch(THREADS);
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                threads.submit(() -> {
                    try {
                        for (int i = first; !stop.get(); i++) {
                            Protocol protocol = protocols.get(i % protocols.size());
                            long sentAt = System.nanoTime();
                            sent.incrementAndGet();
                            HttpResponse<String> response = server.client().send(HttpRequest.newBuilder(
                                            server.uri(protocol.path())).timeout(Duration.ofSeconds(30))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(protocol.body())).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            double[] outputs = response.statusCode() == 200
                                    ? doubles(protocol.outputs().apply(JSON.readTree(response.body()))) : new double[0];
                            answers.add(new Answer(protocol.name(), sentAt, outputs, response.statusCode(),
                                    response.body()));
                        }
                    } catch (Exception e) {
                        answers.add(new Answer("error", 0, new double[0], 0, e.toString()));
                    } finally {
                        done.countDown();
                    }
                    return null;
                });
            }
            awaitCount(sent, 60);
            RepositoryFiles.writeVersion(repo, "notebook", 2, "model.json", secondVersion);
            long availableAt = awaitVersionTwoAvailable(server);
            int sentBeforeAvailable = sent.get();
            awaitCount(sent, Math.max(sentBeforeAvailable + 120, 240));
            stop.set(true);
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            threads.shutdown();

            double[] two = answer(ModelFileReader.read(repo.resolve("notebook/2/model.json"), null).model(), X);
            // independently: the Dense bias of version 2 is 1.0 higher in the first output only
            assertThat(two[0] - one[0]).isCloseTo(1.0, within(1e-12));
            assertThat(two[1]).isCloseTo(one[1], within(1e-12));

            List<Answer> all = List.copyOf(answers);
            System.out.printf("%d requests, %d sent before version 2 was AVAILABLE%n", all.size(), sentBeforeAvailable);
            assertThat(all).hasSizeGreaterThanOrEqualTo(240);
            assertThat(all).allSatisfy(a -> assertThat(a.status()).as(a.protocol() + ": " + a.body()).isEqualTo(200));
            for (Answer a : all) {
                if (a.protocol().equals("rnn")) {
                    assertThat(a.outputs()).containsExactly(rnnAnswer);
                } else if (a.sentNanos() > availableAt) {
                    assertThat(a.outputs()).as(a.protocol() + " after version 2 was AVAILABLE").containsExactly(two);
                } else {
                    assertThat(Arrays.equals(a.outputs(), one) || Arrays.equals(a.outputs(), two))
                            .as(a.protocol() + " answered " + Arrays.toString(a.outputs())).isTrue();
                }
            }
            for (String protocol : List.of("own", "kserve", "tfserving")) {
                assertThat(all).as(protocol + " answered by both versions")
                        .anyMatch(a -> a.protocol().equals(protocol) && Arrays.equals(a.outputs(), one))
                        .anyMatch(a -> a.protocol().equals(protocol) && a.sentNanos() > availableAt);
            }
        }
    }

    private static double[] answer(RecurrentModel model, double[][] x) {
        return model.predict(SequenceBatch.of(new double[][][] {x})).output();
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).doubleValue();
        }
        return values;
    }

    private static void awaitCount(AtomicInteger count, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (count.get() < atLeast) {
            assertThat(System.nanoTime()).as("requests sent in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** Polls GET /models until version 2 is AVAILABLE; returns when that answer was received. */
    private static long awaitVersionTwoAvailable(RunningServer server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = server.client().send(HttpRequest.newBuilder(server.uri("/models")).build(),
                    HttpResponse.BodyHandlers.ofString());
            long received = System.nanoTime();
            for (JsonNode model : JSON.readTree(response.body()).get("models")) {
                if (model.get("name").asString().equals("notebook")) {
                    for (JsonNode version : model.get("versions")) {
                        if (version.get("version").asLong() == 2 && version.get("state").asString().equals("AVAILABLE")) {
                            return received;
                        }
                    }
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("version 2 never became AVAILABLE");
    }
}
