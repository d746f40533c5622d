package io.rnnserving.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rnnserving.RunningServer;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every example the committed spec documents, for every protocol, is what the running service answers: each request
 * example is sent and its answer compared with the 200 example of the same name (or, for a variant such as "row
 * format, named input", of the name it extends); each GET's 200 example is fetched. Examples of another model (their
 * names start as {@link #OTHER_MODELS} says) are sent to a server of that model.
 */
@RunningService
class DocumentedExamplesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MODEL = "notebook-simple-rnn";
    /** The examples' numbers are the service's answers as printed: float32 ones carry about 7 digits. */
    private static final double TOLERANCE = 1e-6;

    /** Examples of other models than the default, by the start of their names, and the file each is of. */
    private static final Map<String, String> OTHER_MODELS = Map.of(
            "with an LSTM", "src/test/resources/keras/recurrent/lstm.keras");
    private static final Map<String, RunningServer> SERVERS = new java.util.HashMap<>();

    @Autowired
    RestTestClient client;

    @org.junit.jupiter.api.AfterAll
    static void stopOtherModels() {
        SERVERS.values().forEach(RunningServer::close);
        SERVERS.clear();
    }

    /** True for an example of another model than the default one. */
    static boolean ofAnotherModel(String exampleName) {
        return OTHER_MODELS.keySet().stream().anyMatch(exampleName::startsWith);
    }

    private static RestTestClient otherModel(String prefix) {
        RunningServer server = SERVERS.computeIfAbsent(prefix,
                p -> RunningServer.start("--model.path=" + OTHER_MODELS.get(p)));
        return RestTestClient.bindToServer().baseUrl(server.uri("").toString()).build();
    }

    @Test
    void everyJsonRequestExampleGetsItsDocumentedAnswer() {
        List<String> replayed = new ArrayList<>();
        operations("post").forEach((path, operation) -> {
            if (operation.getRequestBody() == null
                    || operation.getRequestBody().getContent().get("application/json") == null) {
                return; // load and unload take no body and change what is served: documented without examples
            }
            Map<String, Example> requests = examples(operation.getRequestBody().getContent().get("application/json"));
            Map<String, Example> answers = examples(operation.getResponses().get("200").getContent()
                    .get("application/json"));
            requests.forEach((name, request) -> {
                Example answer = answerFor(name, answers);
                assertThat(answer).as("a 200 example for the request example '%s' of POST %s", name, path).isNotNull();
                String otherModel = OTHER_MODELS.keySet().stream().filter(name::startsWith).findFirst().orElse(null);
                RestTestClient to = otherModel == null ? client : otherModel(otherModel);
                EntityExchangeResult<byte[]> served = to.post().uri(concrete(path))
                        .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                        .body(text(request)).exchange().returnResult(byte[].class);
                assertThat(served.getStatus().value()).as("POST %s with '%s'", path, name).isEqualTo(200);
                assertSameJson(new String(served.getResponseBody(), StandardCharsets.UTF_8),
                        text(answer), "POST " + path + " with '" + name + "'");
                replayed.add("POST " + path + " " + name);
            });
        });

        assertThat(replayed).as("replayed").anyMatch(r -> r.startsWith("POST /predict "))
                .anyMatch(r -> r.startsWith("POST /v2/models/{name}/infer "))
                .anyMatch(r -> r.startsWith("POST /v1/models/{name}:predict "));
    }

    @Test
    void everyGetExampleIsWhatTheServiceAnswers() {
        List<String> replayed = new ArrayList<>();
        operations("get").forEach((path, operation) -> {
            MediaType ok = operation.getResponses().get("200").getContent().values().iterator().next();
            for (Example example : examples(ok).values()) {
                EntityExchangeResult<byte[]> served = client.get().uri(concrete(path)).exchange()
                        .returnResult(byte[].class);
                assertThat(served.getStatus().value()).as("GET %s", path).isEqualTo(200);
                String answer = new String(served.getResponseBody(), StandardCharsets.UTF_8);
                if (path.equals("/v2")) {
                    // the version is the build's, which a test run from the IDE does not have
                    answer = withoutVersion(answer);
                    assertSameJson(answer, withoutVersion(text(example)), "GET " + path);
                } else {
                    assertSameJson(answer, text(example), "GET " + path);
                }
                replayed.add(path);
            }
        });

        assertThat(replayed).contains("/model", "/v2", "/v2/health/live", "/v2/health/ready", "/v2/models/{name}",
                "/v2/models/{name}/ready", "/v1/models/{name}", "/v1/models/{name}/metadata");
    }

    @Test
    void theBinaryInferExampleGetsItsDocumentedBinaryAnswer() {
        Operation infer = spec().getPaths().get("/v2/models/{name}/infer").getPost();
        String documented = text(examples(infer.getRequestBody().getContent().get("application/octet-stream"))
                .values().iterator().next());
        JsonNode request = JSON.readTree(documented);
        String answer = text(examples(infer.getResponses().get("200").getContent().get("application/octet-stream"))
                .values().iterator().next());
        JsonNode flatAnswer = JSON.readTree(text(examples(infer.getResponses().get("200").getContent()
                .get("application/json")).get("flat FP32")));

        // as documented (all JSON, as Swagger UI sends it), and with x moved out of the JSON as raw float32 bytes
        byte[] asDocumented = documented.getBytes(StandardCharsets.UTF_8);
        tools.jackson.databind.node.ObjectNode x = (tools.jackson.databind.node.ObjectNode) request.at("/inputs/0")
                .deepCopy();
        JsonNode values = x.remove("data");
        x.putObject("parameters").put("binary_data_size", 4 * values.size());
        tools.jackson.databind.node.ObjectNode binaryRequest = (tools.jackson.databind.node.ObjectNode) request.deepCopy();
        binaryRequest.putArray("inputs").add(x);
        byte[] json = binaryRequest.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer withBytes = ByteBuffer.allocate(json.length + 4 * values.size()).order(ByteOrder.LITTLE_ENDIAN)
                .put(json);
        values.forEach(value -> withBytes.putFloat(value.floatValue()));

        for (EntityExchangeResult<byte[]> served : List.of(
                client.post().uri(concrete("/v2/models/{name}/infer"))
                        .contentType(org.springframework.http.MediaType.APPLICATION_OCTET_STREAM)
                        .body(asDocumented).exchange().returnResult(byte[].class),
                client.post().uri(concrete("/v2/models/{name}/infer"))
                        .contentType(org.springframework.http.MediaType.APPLICATION_OCTET_STREAM)
                        .header("Inference-Header-Content-Length", Integer.toString(json.length))
                        .body(withBytes.array()).exchange().returnResult(byte[].class))) {
            assertThat(served.getStatus().value()).isEqualTo(200);
            int jsonLength = Integer.parseInt(served.getResponseHeaders().getFirst("Inference-Header-Content-Length"));
            byte[] bytes = served.getResponseBody();
            assertSameJson(new String(bytes, 0, jsonLength, StandardCharsets.UTF_8),
                    answer.substring(0, answer.indexOf('<')), "the JSON of the binary answer");
            ByteBuffer yhat = ByteBuffer.wrap(bytes, jsonLength, bytes.length - jsonLength)
                    .order(ByteOrder.LITTLE_ENDIAN);
            assertThat(bytes.length - jsonLength).isEqualTo(8);
            for (JsonNode expected : flatAnswer.at("/outputs/0/data")) {
                assertThat((double) yhat.getFloat()).isCloseTo(expected.doubleValue(),
                        org.assertj.core.api.Assertions.within(TOLERANCE));
            }
        }
    }

    /** The operations of that method, by path, in the spec's order. */
    private static Map<String, Operation> operations(String method) {
        Map<String, Operation> operations = new LinkedHashMap<>();
        spec().getPaths().forEach((path, item) -> {
            Operation operation = method.equals("post") ? item.getPost() : item.getGet();
            if (operation != null) {
                operations.put(path, operation);
            }
        });
        return operations;
    }

    private static Map<String, Example> examples(MediaType media) {
        Map<String, Example> examples = new LinkedHashMap<>();
        if (media.getExamples() != null) {
            examples.putAll(media.getExamples());
        } else if (media.getExample() != null) {
            examples.put("example", new Example().value(media.getExample()));
        }
        return examples;
    }

    /** The answer of the same name, or of the longest name the request's extends ("row format" for "row format, …"). */
    private static Example answerFor(String name, Map<String, Example> answers) {
        return answers.entrySet().stream()
                .filter(answer -> name.equals(answer.getKey()) || name.startsWith(answer.getKey() + ","))
                .max((a, b) -> Integer.compare(a.getKey().length(), b.getKey().length()))
                .map(Map.Entry::getValue)
                .orElse(null);
    }

    /** An example's value as JSON text: the parser keeps a string as written and parses an object. */
    private static String text(Example example) {
        Object value = example.getValue();
        return value instanceof String string ? string : io.swagger.v3.core.util.Json.pretty(value);
    }

    private static String concrete(String path) {
        return path.replace("{name}", MODEL).replace("{version}", "1");
    }

    private static String withoutVersion(String json) {
        var node = (tools.jackson.databind.node.ObjectNode) JSON.readTree(json);
        node.remove("version");
        return node.toString();
    }

    private static void assertSameJson(String served, String documented, String what) {
        assertThat(JSON.readValue(served, Object.class)).as(what)
                .usingRecursiveComparison()
                .withComparatorForType((a, b) -> Math.abs(a - b) <= TOLERANCE ? 0 : Double.compare(a, b), Double.class)
                .isEqualTo(JSON.readValue(documented, Object.class));
    }

    private static OpenAPI spec() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readLocation(Path.of(OpenApiDocument.PATH).toAbsolutePath().toUri().toString(),
                null, options).getOpenAPI();
    }
}
