package io.rnnserving.kserve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.rnnserving.RunningServer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Random corruptions of valid binary infer bodies (the binary tensor data extension) against the running server
 * (default limits): a byte changed anywhere, the body cut or lengthened, the header's length or a binary_data_size
 * moved. Every answer is a 200 or a 4xx {"error": "..."}, never a 5xx, within 10 s; an untouched body is a 200.
 */
class BinaryBodyPropertiesTest {
    private static final String HEADER = "Inference-Header-Content-Length";
    private static RunningServer server;

    @BeforeContainer
    static void startServer() {
        server = RunningServer.start();
    }

    @AfterContainer
    static void stopServer() {
        server.close();
    }

    enum Corruption {
        NONE, CHANGE_BYTE, TRUNCATE, APPEND, MOVE_HEADER, MOVE_SIZE
    }

    /** A valid request: its JSON (with binary_data_size for each binary input) and its inputs' bytes. */
    record BinaryRequest(String json, byte[] tensors) {
    }

    @Provide
    Arbitrary<BinaryRequest> validRequests() {
        return Arbitraries.randomValue(BinaryBodyPropertiesTest::validRequest);
    }

    @Property(tries = 200)
    void corruptedBinaryBodiesGetA4xxErrorOrAnAnswer(@ForAll("validRequests") BinaryRequest valid,
                                                     @ForAll Corruption corruption,
                                                     @ForAll @IntRange(min = 0, max = 100_000) int where,
                                                     @ForAll byte value) throws Exception {
        String json = corruption == Corruption.MOVE_SIZE ? moveASize(valid.json(), where) : valid.json();
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        byte[] body = concat(header, valid.tensors());
        long jsonLength = header.length;
        switch (corruption) {
            case CHANGE_BYTE -> body[where % body.length] = value;
            case TRUNCATE -> body = Arrays.copyOf(body, where % body.length);
            case APPEND -> body = concat(body, new byte[1 + where % 9]);
            case MOVE_HEADER -> jsonLength += (where % 2 == 0 ? 1 : -1) * (1 + where % 40);
            default -> {
            }
        }
        HttpResponse<String> response = server.client().send(HttpRequest.newBuilder(server.uri("/v2/models/notebook-simple-rnn/infer"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/octet-stream")
                .header(HEADER, Long.toString(jsonLength))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));

        Statistics.label("status").collect(response.statusCode());
        if (corruption == Corruption.NONE) {
            assertThat(response.statusCode()).as("the valid body %s", json).isEqualTo(200);
        }
        if (response.statusCode() == 200) {
            return;
        }
        assertThat(response.statusCode()).as("%s answered %s", json, response.body()).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = JsonMapper.shared().readTree(response.body());
        assertThat(error.propertyNames()).containsExactly("error");
        assertThat(error.get("error").asString()).doesNotContain("Exception", "at io.", "java.");
    }

    private static BinaryRequest validRequest(Random random) {
        int samples = 1 + random.nextInt(4);
        int steps = 1 + random.nextInt(6);
        List<String> inputs = new ArrayList<>();
        ByteArrayOutputStream tensors = new ByteArrayOutputStream();
        float[] x = new float[samples * steps * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * 2);
        }
        inputs.add(binaryInput("x", "[" + samples + ", " + steps + ", 3]", "FP32", x.length * 4));
        tensors.writeBytes(KServeBinaryDataTest.fp32(x));
        if (random.nextBoolean()) {
            double[] h0 = new double[samples * 5];
            Arrays.setAll(h0, i -> random.nextDouble() - 0.5);
            inputs.add(binaryInput("h0", "[" + samples + ", 5]", "FP64", h0.length * 8));
            tensors.writeBytes(KServeBinaryDataTest.fp64(h0));
        }
        if (random.nextBoolean()) {
            long[] lengths = new long[samples];
            Arrays.setAll(lengths, n -> 1 + random.nextInt(steps));
            inputs.add(binaryInput("lengths", "[" + samples + "]", "INT64", samples * 8));
            tensors.writeBytes(KServeBinaryDataTest.int64(lengths));
        }
        String outputs = List.of("yhat", "hidden", "state").get(random.nextInt(3));
        String json = "{\"inputs\": [" + String.join(", ", inputs) + "], \"outputs\": [{\"name\": \"" + outputs
                + "\", \"parameters\": {\"binary_data\": " + random.nextBoolean() + "}}]}";
        return new BinaryRequest(json, tensors.toByteArray());
    }

    private static String binaryInput(String name, String shape, String datatype, int size) {
        return "{\"name\": \"" + name + "\", \"shape\": " + shape + ", \"datatype\": \"" + datatype
                + "\", \"parameters\": {\"binary_data_size\": " + size + "}}";
    }

    /** The JSON with one of its binary_data_size values moved by a few bytes either way. */
    private static String moveASize(String json, int where) {
        List<Integer> sizes = new ArrayList<>();
        for (int at = json.indexOf("\"binary_data_size\": "); at >= 0;
             at = json.indexOf("\"binary_data_size\": ", at + 1)) {
            sizes.add(at + "\"binary_data_size\": ".length());
        }
        int start = sizes.get(where % sizes.size());
        int end = start;
        while (Character.isDigit(json.charAt(end))) {
            end++;
        }
        long size = Long.parseLong(json.substring(start, end)) + (where % 2 == 0 ? 1 : -1) * (1 + where % 12);
        return json.substring(0, start) + size + json.substring(end);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
