package io.rnnserving.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rnnserving.RunningServer;
import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.loading.ModelFileReader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Random corruptions of valid POST /predict bodies against the running server (default limits). Each body is
 * also judged by an independent strict validator written from the API's rules: where it finds the body valid the
 * server must answer 200 with the engine's numbers for that input, else a 4xx problem+json. Never a 5xx, and
 * every answer within 10 s.
 */
class HostileBodyPropertiesTest {
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> FIELDS = Set.of("x", "lengths", "h0", "trace", "returnState");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");
    private static final RecurrentModel MODEL = ModelFileReader.readDefault().model().withPrecision(Precision.FLOAT64);
    private static RunningServer server;

    @BeforeContainer
    static void startServer() {
        // answers are compared with the engine to 1e-12: the float32 default model computes in float64 here
        server = RunningServer.start("--model.precision=float64");
    }

    @AfterContainer
    static void stopServer() {
        server.close();
    }

    enum Corruption {
        NONE, TRUNCATE, SWAP_TYPE, ODD_NUMBER, DEEP_NESTING, UNICODE, DUPLICATE_KEY, EXTRA_FIELD, DROP_NUMBER,
        ADD_NUMBER, ADD_ROW, CHANGE_LENGTH, DELETE_CHARACTER, DUPLICATE_CHARACTER
    }

    @Provide
    Arbitrary<String> validBodies() {
        return Arbitraries.randomValue(HostileBodyPropertiesTest::validBody);
    }

    @Provide
    Arbitrary<String> oddValues() {
        return Arbitraries.of("\"0.1\"", "null", "true", "false", "{}", "[]", "[0.1]", "{\"a\": 1}", "\"\u00e9\u4e2d\"",
                "1e39", "-1e39", "1e999", "1e-400", "4.9e-324", "-0.0", "3.4028235e38", "3.4028236e38", "1e308",
                "12345678901234567890", "NaN", "-Infinity", "0", "-1", "2147483648", "1.5", "7");
    }

    @Property(tries = 300)
    void hostileBodiesGetA4xxProblemOrTheRightAnswer(@ForAll("validBodies") String valid, @ForAll Corruption corruption,
                                                     @ForAll @IntRange(min = 0, max = 100_000) int where,
                                                     @ForAll("oddValues") String odd) throws Exception {
        String body = corrupt(valid, corruption, where, odd);
        HttpResponse<String> response = server.client().send(HttpRequest.newBuilder(server.uri("/predict"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofString());

        Expected expected = validate(body);
        Statistics.label("status").collect(response.statusCode());
        Statistics.label("validator").collect(expected == null ? "refuses" : "accepts");
        if (expected != null) {
            assertThat(response.statusCode()).as("a valid body %s", body).isEqualTo(200);
            ForwardResult result = MODEL.predict(expected.batch, expected.h0, false);
            JsonNode yhat = STRICT.readTree(response.body()).get("yhat");
            assertThat(yhat.size()).isEqualTo(result.samples());
            for (int n = 0; n < result.samples(); n++) {
                for (int k = 0; k < result.outputWidth(); k++) {
                    assertThat(yhat.get(n).get(k).asDouble()).isCloseTo(result.output()[n * result.outputWidth() + k],
                            org.assertj.core.data.Offset.offset(1e-12));
                }
            }
        } else {
            assertThat(response.statusCode()).as("an invalid body %s answered %s", body, response.body())
                    .isBetween(400, 499);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(STRICT.readTree(response.body()).get("type").asString()).startsWith("urn:rnn-serving:problem:");
        }
    }

    private static String validBody(Random random) {
        int samples = 1 + random.nextInt(4);
        StringBuilder x = new StringBuilder("[");
        int[] steps = new int[samples];
        for (int n = 0; n < samples; n++) {
            steps[n] = 1 + random.nextInt(5);
            x.append(n > 0 ? ", [" : "[");
            for (int t = 0; t < steps[n]; t++) {
                x.append(t > 0 ? ", [" : "[");
                for (int d = 0; d < 3; d++) {
                    x.append(d > 0 ? ", " : "").append(Math.round((random.nextDouble() * 6 - 3) * 1e4) / 1e4);
                }
                x.append("]");
            }
            x.append("]");
        }
        x.append("]");
        List<String> members = new ArrayList<>();
        members.add("\"x\": " + x);
        if (random.nextBoolean()) {
            List<String> lengths = new ArrayList<>();
            for (int n = 0; n < samples; n++) {
                lengths.add(Integer.toString(1 + random.nextInt(steps[n])));
            }
            members.add("\"lengths\": " + lengths);
        }
        if (random.nextBoolean()) {
            List<String> rows = new ArrayList<>();
            for (int n = 0; n < samples; n++) {
                rows.add("[0.1, -0.2, 0.3, -0.4, 0.5]");
            }
            members.add("\"h0\": " + (random.nextBoolean() ? rows.toString() : "{\"simple_rnn\": " + rows + "}"));
        }
        if (random.nextBoolean()) {
            members.add("\"trace\": " + random.nextBoolean());
        }
        if (random.nextBoolean()) {
            members.add("\"returnState\": " + random.nextBoolean());
        }
        java.util.Collections.shuffle(members, random);
        return "{" + String.join(", ", members) + "}";
    }

    private static String corrupt(String body, Corruption corruption, int where, String odd) {
        List<int[]> numbers = new ArrayList<>();
        Matcher matcher = NUMBER.matcher(body);
        while (matcher.find()) {
            numbers.add(new int[] {matcher.start(), matcher.end()});
        }
        int[] number = numbers.get(where % numbers.size());
        int at = where % body.length();
        return switch (corruption) {
            case NONE -> body;
            case TRUNCATE -> body.substring(0, at);
            case SWAP_TYPE, ODD_NUMBER -> body.substring(0, number[0]) + odd + body.substring(number[1]);
            case DEEP_NESTING -> body.substring(0, number[0]) + "[".repeat(1 + where % 3000) + body.substring(number[0],
                    number[1]) + "]".repeat(1 + where % 3000) + body.substring(number[1]);
            case UNICODE -> body.substring(0, at) + new String(Character.toChars(0xA0 + where % 0xD700))
                    + body.substring(at);
            case DUPLICATE_KEY -> body.substring(0, body.length() - 1) + ", " + List.of("\"x\": [[[1, 2, 3]]]",
                    "\"trace\": true", "\"lengths\": [1]", "\"h0\": [[0, 0, 0, 0, 0]]", "\"returnState\": false")
                    .get(where % 5) + "}";
            case EXTRA_FIELD -> body.substring(0, body.length() - 1) + ", \"extra" + where % 3 + "\": " + odd + "}";
            case DROP_NUMBER -> body.substring(0, number[0]) + body.substring(number[1]).replaceFirst("^, ", "");
            case ADD_NUMBER -> body.substring(0, number[1]) + ", 0.5" + body.substring(number[1]);
            case ADD_ROW -> body.replaceFirst("\\[\\[\\[", "[[[0.1, 0.2, 0.3], [");
            case CHANGE_LENGTH -> body.replaceFirst("\"lengths\": \\[(\\d)", "\"lengths\": [" + (where % 7));
            case DELETE_CHARACTER -> body.substring(0, at) + body.substring(at + 1);
            case DUPLICATE_CHARACTER -> body.substring(0, at + 1) + body.substring(at);
        };
    }

    private record Expected(SequenceBatch batch, Map<String, double[]> h0) {
    }

    /** The batch a body asks for, or null when the API's rules refuse it. */
    private static Expected validate(String body) {
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
        if (root == null || !root.isObject() || !root.has("x")) {
            return null;
        }
        for (String name : root.propertyNames()) {
            if (!FIELDS.contains(name)) {
                return null;
            }
        }
        for (String flag : List.of("trace", "returnState")) {
            if (root.has(flag) && !root.get(flag).isBoolean()) {
                return null;
            }
        }
        JsonNode x = root.get("x");
        if (!x.isArray() || x.isEmpty()) {
            return null;
        }
        double[][][] values = new double[x.size()][][];
        for (int n = 0; n < x.size(); n++) {
            JsonNode sample = x.get(n);
            if (!sample.isArray() || sample.isEmpty()) {
                return null;
            }
            values[n] = new double[sample.size()][];
            for (int t = 0; t < sample.size(); t++) {
                values[n][t] = numbers(sample.get(t), 3);
                if (values[n][t] == null) {
                    return null;
                }
            }
        }
        SequenceBatch batch = SequenceBatch.of(values);
        int[] lengths = batch.lengths();
        if (root.has("lengths")) {
            JsonNode given = root.get("lengths");
            if (!given.isArray() || given.size() != values.length) {
                return null;
            }
            lengths = new int[values.length];
            for (int n = 0; n < values.length; n++) {
                JsonNode length = given.get(n);
                if (!length.isInt() || length.asInt() < 1 || length.asInt() > values[n].length) {
                    return null;
                }
                lengths[n] = length.asInt();
            }
        }
        Map<String, double[]> h0 = new HashMap<>();
        if (root.has("h0")) {
            JsonNode state = root.get("h0");
            if (state.isObject()) {
                for (String layer : state.propertyNames()) {
                    if (!layer.equals("simple_rnn")) {
                        return null;
                    }
                }
                state = state.get("simple_rnn");
            }
            if (state != null) {
                if (!state.isArray() || state.size() != values.length) {
                    return null;
                }
                double[] flat = new double[values.length * 5];
                for (int n = 0; n < values.length; n++) {
                    double[] row = numbers(state.get(n), 5);
                    if (row == null) {
                        return null;
                    }
                    System.arraycopy(row, 0, flat, n * 5, 5);
                }
                h0.put("simple_rnn", flat);
            }
        }
        return new Expected(new SequenceBatch(batch.values(), batch.samples(), batch.steps(), batch.features(), lengths),
                h0);
    }

    /** A row of exactly {@code count} finite float32 numbers, else null. */
    private static double[] numbers(JsonNode row, int count) {
        if (!row.isArray() || row.size() != count) {
            return null;
        }
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            JsonNode value = row.get(i);
            if (!value.isNumber() || Float.isInfinite((float) value.asDouble()) || Double.isNaN(value.asDouble())) {
                return null;
            }
            values[i] = value.asDouble();
        }
        return values;
    }
}
