package io.rnnserving.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rnnserving.RunningServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * LSTM, GRU, Bidirectional and Embedding models of make_recurrent_fixtures.py served by a running server on every
 * protocol. KServe v2: every output the metadata lists (yhat, each layer's trace and final state, by part), as JSON
 * and as binary data, within 1e-5 of Keras, and the final states fed back as h0 tensors. GET /model: each layer's
 * parameters as Keras counts them. TF Serving: predictions
 * within 1e-5 of Keras and the input's dtype in the metadata. Every protocol: a Bidirectional's h0 and a token id
 * outside the vocabulary refused with their pointers into the body sent. (POST /predict's traces and states are
 * held to Keras for every fixture by KerasModelsOverHttpTest.)
 */
class RecurrentModelsOnEveryProtocolTest {
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Path FIXTURES = Path.of("src/test/resources/keras/recurrent");
    private static final double KERAS_TOLERANCE = 1e-5;
    /** Where {@link #post} notes the answer's HTTP status, beside the members of the answer. */
    private static final String STATUS = "(status)";

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru_reset_before", "lstm_stacked", "bidi_masked", "embedding_mask_bidi",
            "embedding_lstm"})
    void everyOutputOfEveryLayerAnswersAsKerasOnJsonAndBinary(String name) throws Exception {
        JsonNode fixture = JSON.readTree(Files.readAllBytes(FIXTURES.resolve(name + ".json")));
        try (RunningServer server = RunningServer.start("--model.path=" + FIXTURES.resolve(name + ".keras"))) {
            JsonNode summary = get(server, "/model");
            String model = summary.get("name").asString();
            Map<String, Long> params = new LinkedHashMap<>();
            summary.get("layers").forEach(layer -> {
                if (layer.get("params").asLong() > 0) {
                    params.put(layer.get("name").asString(), layer.get("params").asLong());
                }
            });
            Map<String, Long> kerasParams = new LinkedHashMap<>();
            fixture.get("parameters").properties().forEach(e -> kerasParams.put(e.getKey(), e.getValue().asLong()));
            assertThat(params).as("GET /model's params against Keras' count_params()").isEqualTo(kerasParams);
            JsonNode metadata = get(server, "/v2/models/" + model);
            boolean ids = !fixture.get("input").get(0).get(0).isArray();
            JsonNode xMeta = metadata.get("inputs").get(0);
            // the fixtures are float32 Keras models: their numbers are FP32
            assertThat(xMeta.get("datatype").asString()).isEqualTo(ids ? "INT64" : "FP32");
            assertThat(xMeta.get("shape").size()).isEqualTo(ids ? 2 : 3);

            List<String> outputs = new ArrayList<>();
            metadata.get("outputs").forEach(output -> outputs.add(output.get("name").asString()));
            double[] x = flat(fixture.get("input"));
            int[] shape = shapeOf(fixture.get("input"));
            String datatype = ids ? "INT64" : "FP64";

            JsonNode json = post(server, "/v2/models/" + model + "/infer", request(x, shape, datatype, outputs, false,
                    Map.of()));
            assertOutputsAsKeras(fixture, outputs, tensors(json));

            HttpResponse<byte[]> binary = postBinary(server, model, x, shape, ids ? "INT32" : "FP32", outputs);
            assertThat(binary.statusCode()).as(new String(binary.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertOutputsAsKeras(fixture, outputs, binaryTensors(binary));

            List<String> h0 = new ArrayList<>();
            metadata.get("inputs").forEach(input -> {
                if (input.get("name").asString().startsWith("h0")) {
                    h0.add(input.get("name").asString());
                }
            });
            Map<String, JsonNode> states = new LinkedHashMap<>();
            Map<String, JsonNode> answered = tensors(json);
            for (String input : h0) {
                states.put(input, answered.get("state" + input.substring(2)));
            }
            JsonNode fromStates = post(server, "/v2/models/" + model + "/infer", request(x, shape, datatype,
                    List.of("yhat"), false, states));
            assertThat(fromStates.has("outputs")).as(fromStates.toString()).isTrue();
            String firstLayer = fixture.get("traces").properties().iterator().next().getKey();
            if (name.contains("bidi")) {
                JsonNode refused = post(server, "/v2/models/" + model + "/infer", request(x, shape, datatype,
                        List.of("yhat"), false, Map.of("h0/" + firstLayer + "/forward_h",
                                answered.get("state/" + firstLayer + "/forward_h"))));
                assertProblem(refused, "/inputs/1/name", "(Bidirectional) cannot start from a given state");
                ObjectNode predict = JSON.createObjectNode();
                predict.set("x", fixture.get("input"));
                predict.putObject("h0").putObject(firstLayer).set("forward_h",
                        JSON.valueToTree(new double[shape[0]][fixture.get("final_states").get(firstLayer).get("forward")
                                .get("h").get(0).size()]));
                assertProblem(post(server, "/predict", predict), "/h0/" + firstLayer,
                        "(Bidirectional) cannot start from a given state");
            }

            ObjectNode instances = JSON.createObjectNode();
            instances.set("instances", fixture.get("input"));
            assertCloseNested(post(server, "/v1/models/" + model + ":predict", instances).get("predictions"),
                    fixture.get("expected"));
            JsonNode signature = get(server, "/v1/models/" + model + "/metadata").get("metadata").get("signature_def")
                    .get("signature_def").get("serving_default");
            assertThat(signature.get("inputs").get("x").get("dtype").asString()).isEqualTo(ids ? "DT_INT64"
                    : "DT_FLOAT");

            if (ids) {
                double[] outside = x.clone();
                outside[1] = 12;
                assertProblem(post(server, "/v2/models/" + model + "/infer", request(outside, shape, datatype,
                        List.of("yhat"), false, Map.of())), "/inputs/0/data/1", "outside the vocabulary");
                ObjectNode body = JSON.createObjectNode();
                ArrayNode samples = (ArrayNode) fixture.get("input").deepCopy();
                body.set("x", samples);
                ((ArrayNode) samples.get(0)).set(1, JSON.getNodeFactory().numberNode(12));
                assertProblem(post(server, "/predict", body), "/x/0/1", "outside the vocabulary");
                ObjectNode fraction = JSON.createObjectNode();
                fraction.set("instances", fixture.get("input").deepCopy());
                ((ArrayNode) fraction.get("instances").get(2)).set(0, JSON.getNodeFactory().numberNode(1.5));
                assertProblem(post(server, "/v1/models/" + model + ":predict", fraction), "/instances/2/0",
                        "is not a token id");
            }
        }
    }

    /** A 400 with the pointer and the reason: problem+json on /predict, {"error": "… (at pointer)"} on the others. */
    private static void assertProblem(JsonNode problem, String pointer, String detail) {
        assertThat(problem.get(STATUS).asInt()).as(problem.toString()).isEqualTo(400);
        if (problem.has("error")) {
            assertThat(problem.get("error").asString()).contains(detail).endsWith("(at " + pointer + ")");
        } else {
            assertThat(problem.get("pointer").asString()).isEqualTo(pointer);
            assertThat(problem.get("detail").asString()).contains(detail);
        }
    }

    private static void assertCloseNested(JsonNode actual, JsonNode keras) {
        assertThat(actual).isNotNull();
        double[] values = flat(actual);
        double[] expected = flat(keras);
        assertThat(values).hasSameSizeAs(expected);
        for (int i = 0; i < values.length; i++) {
            assertThat(values[i]).as("value %d", i).isCloseTo(expected[i], within(KERAS_TOLERANCE));
        }
    }

    /** Each output against the fixture: yhat, {@code hidden…} against traces, {@code state…} against final states. */
    private static void assertOutputsAsKeras(JsonNode fixture, List<String> outputs, Map<String, JsonNode> answered) {
        List<String> layers = new ArrayList<>();
        fixture.get("traces").properties().forEach(entry -> layers.add(entry.getKey()));
        for (String output : outputs) {
            JsonNode actual = answered.get(output);
            assertThat(actual).as(output).isNotNull();
            if (output.equals("yhat")) {
                assertClose(actual, fixture.get("expected"), output);
                continue;
            }
            String[] names = output.split("/");
            boolean trace = names[0].equals("hidden");
            String layer = names.length > 1 ? names[1] : layers.get(layers.size() - 1);
            String part = names.length > 2 ? names[2] : "h";
            JsonNode keras = (trace ? fixture.get("traces") : fixture.get("final_states")).get(layer);
            int underscore = part.indexOf('_');
            keras = underscore < 0 ? keras.get(part)
                    : keras.get(part.substring(0, underscore)).get(part.substring(underscore + 1));
            assertClose(actual, keras, output);
        }
    }

    private static ObjectNode request(double[] x, int[] shape, String datatype, List<String> outputs, boolean binary,
                                      Map<String, JsonNode> states) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        ObjectNode xTensor = inputs.addObject().put("name", "x").put("datatype", datatype);
        ArrayNode dims = xTensor.putArray("shape");
        for (int dim : shape) {
            dims.add(dim);
        }
        if (binary) {
            xTensor.putObject("parameters").put("binary_data_size", x.length * 4);
        } else {
            ArrayNode data = xTensor.putArray("data");
            for (double value : x) {
                if (datatype.startsWith("INT")) {
                    data.add((long) value);
                } else {
                    data.add(value);
                }
            }
        }
        states.forEach((name, tensor) -> {
            ObjectNode state = inputs.addObject().put("name", name).put("datatype", "FP64");
            state.set("shape", tensor.get("shape"));
            state.set("data", tensor.get("data"));
        });
        ArrayNode wanted = body.putArray("outputs");
        for (String output : outputs) {
            ObjectNode out = wanted.addObject().put("name", output);
            if (binary) {
                out.putObject("parameters").put("binary_data", true);
            }
        }
        return body;
    }

    private static HttpResponse<byte[]> postBinary(RunningServer server, String model, double[] x, int[] shape,
                                                   String datatype, List<String> outputs) throws Exception {
        byte[] head = JSON.writeValueAsBytes(request(x, shape, datatype, outputs, true, Map.of()));
        ByteBuffer data = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double value : x) {
            if (datatype.equals("INT32")) {
                data.putInt((int) value);
            } else {
                data.putFloat((float) value);
            }
        }
        byte[] body = new byte[head.length + x.length * 4];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(data.array(), 0, body, head.length, x.length * 4);
        HttpRequest request = HttpRequest.newBuilder(server.uri("/v2/models/" + model + "/infer"))
                .header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", Integer.toString(head.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return server.client().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A binary answer's outputs, each nested by its shape as the JSON answer would give it. */
    private static Map<String, JsonNode> binaryTensors(HttpResponse<byte[]> response) {
        int jsonLength = Integer.parseInt(response.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode head = JSON.readTree(new String(response.body(), 0, jsonLength, StandardCharsets.UTF_8));
        ByteBuffer bytes = ByteBuffer.wrap(response.body(), jsonLength, response.body().length - jsonLength)
                .order(ByteOrder.LITTLE_ENDIAN);
        Map<String, JsonNode> tensors = new LinkedHashMap<>();
        for (JsonNode output : head.get("outputs")) {
            int count = 1;
            for (JsonNode dim : output.get("shape")) {
                count *= dim.asInt();
            }
            ArrayNode data = JSON.createArrayNode();
            for (int i = 0; i < count; i++) {
                data.add(output.get("datatype").asString().equals("FP32") ? bytes.getFloat() : bytes.getDouble());
            }
            tensors.put(output.get("name").asString(), nest(data, output.get("shape")));
        }
        return tensors;
    }

    /** A JSON answer's outputs (or a problem's members, under "status", "pointer", …), nested by their shapes. */
    private static Map<String, JsonNode> tensors(JsonNode answer) {
        assertThat(answer.has("outputs")).as(answer.toString()).isTrue();
        Map<String, JsonNode> tensors = new LinkedHashMap<>();
        for (JsonNode output : answer.get("outputs")) {
            ObjectNode tensor = JSON.createObjectNode();
            tensor.set("shape", output.get("shape"));
            tensor.set("data", output.get("data"));
            tensors.put(output.get("name").asString(), tensor);
        }
        return tensors;
    }

    private static JsonNode nest(JsonNode flat, JsonNode shape) {
        ObjectNode tensor = JSON.createObjectNode();
        tensor.set("shape", shape);
        tensor.set("data", flat);
        return tensor;
    }

    /**
     * A tensor (shape and flat data, N×T×M padded with zeros past each sample's length) against Keras' nested
     * numbers, N×M or N×T×M with every sample of the same T.
     */
    private static void assertClose(JsonNode tensor, JsonNode keras, String what) {
        double[] actual = flat(tensor.get("data"));
        double[] expected = flat(keras);
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("%s value %d", what, i).isCloseTo(expected[i], within(KERAS_TOLERANCE));
        }
    }

    private static double[] flat(JsonNode node) {
        List<Double> values = new ArrayList<>();
        collect(node, values);
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void collect(JsonNode node, List<Double> into) {
        if (node.isArray()) {
            node.forEach(child -> collect(child, into));
        } else {
            into.add(node.asDouble());
        }
    }

    private static int[] shapeOf(JsonNode nested) {
        List<Integer> shape = new ArrayList<>();
        for (JsonNode node = nested; node.isArray(); node = node.get(0)) {
            shape.add(node.size());
        }
        return shape.stream().mapToInt(Integer::intValue).toArray();
    }

    private static JsonNode get(RunningServer server, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = server.client().send(HttpRequest.newBuilder(server.uri(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static JsonNode post(RunningServer server, String path, JsonNode body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(server.uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = server.client().send(request, HttpResponse.BodyHandlers.ofString());
        ObjectNode answer = (ObjectNode) JSON.readTree(response.body());
        return answer.put(STATUS, response.statusCode());
    }
}
