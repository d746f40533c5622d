package io.rnnserving.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The committed spec tells the truth on every operation that takes a JSON body, and on the GET operations'
 * parameters: requests generated from its schemas ({@link SchemaSampler}, seeded) that networknt's validator judges
 * valid get 200 from the served default model, and every one made invalid at one place gets a 4xx in the protocol's
 * error format (problem+json with a pointer on the service's own API, {"error": ...} on KServe and TF Serving),
 * never a 5xx.
 *
 * <p>What a schema cannot say is the model's and is written in the schema's description; the generator takes those
 * dimensions from GET /model and the KServe metadata ({@link PredictRules}, {@link InferRules}, {@link TfRules}):
 * x's form (numbers or token ids) and D; h0's M and layer names; N and T shared by x, lengths and h0, each length at
 * most its sample's T, all TF Serving samples of one shape; a KServe tensor's name, datatype, shape and data as the
 * metadata lists them (data filling the shape, binary_data_size only with the binary header), its outputs' names
 * and model_name and model_version those of the path.
 */
@RunningService
class SpecTruthTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long SEED = 15;
    private static final int VALID_PER_OPERATION = 12;
    private static final int MUTATED_PER_OPERATION = 3;

    @Autowired
    RestTestClient client;

    JsonNode spec;
    SchemaJudge judge;
    String model;
    String version;
    int steps;
    int features;
    int units;
    String layer;
    boolean tokenIds;
    JsonNode metadata;

    @BeforeEach
    void readSpecAndModel() throws Exception {
        spec = YAMLMapper.builder().build().readTree(Files.readString(Path.of(OpenApiDocument.PATH)));
        judge = new SchemaJudge(spec);
        JsonNode summary = get("/model");
        model = summary.get("name").asString();
        JsonNode inputShape = summary.get("inputShape");
        tokenIds = inputShape.size() == 1;
        features = tokenIds ? 1 : inputShape.get(1).asInt();
        JsonNode recurrent = summary.get("layers").get(0);
        layer = recurrent.get("name").asString();
        units = recurrent.get("units").asInt();
        assertThat(recurrent.get("className").asString()).as("the rules below know a SimpleRNN's state")
                .isEqualTo("SimpleRNN");
        steps = 4;
        metadata = get("/v2/models/" + model);
        version = metadata.get("versions").get(0).asString();
    }

    @Test
    void everyBodyValidByTheSpecIsServedAndEveryBodyBrokenAtOnePlaceIsRefused() {
        List<String> failures = new ArrayList<>();
        Map<String, int[]> counts = new TreeMap<>();
        for (Operation operation : operations()) {
            JsonNode schema = spec.at("/paths/" + escape(operation.template()) + "/post/requestBody/content/"
                    + "application~1json/schema");
            assertThat(schema.isMissingNode()).as("a JSON body of %s", operation.template()).isFalse();
            SchemaSampler sampler = new SchemaSampler(spec, SEED + operation.template().hashCode());
            Random random = new Random(SEED);
            int[] count = counts.computeIfAbsent(operation.template(), key -> new int[3]);
            for (int i = 0; i < VALID_PER_OPERATION; i++) {
                SchemaSampler.ModelRules rules = operation.rules(this, random);
                JsonNode body = sampler.valid(schema, rules);
                assertThat(judge.problems(schema, body)).as("drawn as valid for %s: %s", operation.template(), body)
                        .isEmpty();
                EntityExchangeResult<String> answer = post(operation.path(this), body);
                count[0]++;
                if (answer.getStatus().value() != 200) {
                    failures.add(operation.template() + " valid " + body + " → " + answer.getStatus().value() + " "
                            + answer.getResponseBody());
                }
                if (i >= MUTATED_PER_OPERATION) {
                    continue;
                }
                for (SchemaSampler.Mutant mutant : sampler.invalid(schema, body, rules, judge::valid)) {
                    if (judge.valid(schema, mutant.body())) {
                        count[2]++; // breaks no constraint after all (the oneOf it left matches another branch)
                        continue;
                    }
                    count[1]++;
                    String refused = refusal(operation, post(operation.path(this), mutant.body()));
                    if (refused != null) {
                        failures.add(operation.template() + " " + mutant.what() + ": " + mutant.body() + " → "
                                + refused);
                    }
                }
            }
        }
        System.out.printf("SpecTruthTest: valid, invalid, mutations still valid by operation: %s%n",
                counts.entrySet().stream().map(e -> e.getKey() + "=" + java.util.Arrays.toString(e.getValue()))
                        .toList());
        assertThat(failures).as("disagreements between the spec and the service").isEmpty();
        assertThat(counts.values()).allSatisfy(count -> assertThat(count[1]).isGreaterThan(20));
    }

    /** The issue's bodies, each valid or not by the committed PredictRequest schema as the service answers it. */
    @Test
    void theIssuesBodiesAreJudgedAsTheServiceAnswersThem() {
        JsonNode schema = spec.at("/components/schemas/PredictRequest");
        String x = "[[[0.1,0.2,0.3],[0.4,0.5,0.6]],[[0.7,0.8,0.9]]]";
        Map<String, Boolean> bodies = new TreeMap<>(Map.of(
                "{\"x\": " + x + "}", true,
                "{\"x\": " + x + ", \"lengths\": [2, 1], \"trace\": true, \"returnState\": false}", true,
                "{\"x\": " + x + ", \"h0\": [[0,0,0,0,0],[1,1,1,1,1]]}", true,
                "{\"x\": " + x + ", \"h0\": {}}", true,
                "{\"x\": [[[]]]}", false,
                "{\"x\": [[]]}", false,
                "{\"x\": []}", false,
                "{\"x\": " + x + ", \"inputs\": 1}", false,
                "{\"x\": " + x + ", \"lengths\": [0, 1]}", false,
                "{\"x\": " + x + ", \"h0\": {\"empty\": true}}", false));
        bodies.put("{\"x\": " + x + ", \"lengths\": []}", false);
        bodies.put("{}", false);
        bodies.forEach((body, valid) -> {
            JsonNode json = SchemaSampler.json(body);
            assertThat(judge.valid(schema, json)).as("valid by the schema: %s", body).isEqualTo(valid);
            EntityExchangeResult<String> answer = post("/predict", json);
            if (valid) {
                assertThat(answer.getStatus().value()).as("%s → %s", body, answer.getResponseBody()).isEqualTo(200);
            } else {
                assertThat(refusal(Operation.PREDICT, answer)).as(body).isNull();
            }
        });
        JsonNode tf = spec.at("/components/schemas/TfServingPredictRequest");
        for (String body : List.of("{}", "{\"instances\": [[[1,2,3]]], \"inputs\": [[[1,2,3]]]}",
                "{\"instances\": [[[1,2,3]], {\"x\": [[1,2,3]]}]}")) {
            assertThat(judge.valid(tf, SchemaSampler.json(body))).as(body).isFalse();
            assertThat(refusal(Operation.TF_SERVING, post("/v1/models/" + model + ":predict", SchemaSampler.json(body))))
                    .as(body).isNull();
        }
    }

    /**
     * Every request example is valid by its operation's schema, and the binary variant's example, which Swagger UI's
     * Try it out sends as JSON text, is a body the service answers (before, it was a placeholder for the bytes).
     */
    @Test
    void requestExamplesAreValidAndTheBinaryExampleIsServed() {
        List<String> invalid = new ArrayList<>();
        spec.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            JsonNode json = operation.getValue().path("requestBody").path("content").path("application/json");
            json.path("examples").properties().forEach(example -> {
                JsonNode value = example.getValue().get("value");
                judge.problems(json.get("schema"), value).forEach(problem -> invalid.add(operation.getKey() + " "
                        + path.getKey() + " example '" + example.getKey() + "': " + problem));
            });
        }));
        assertThat(invalid).isEmpty();

        JsonNode binary = spec.at("/paths/" + escape(Operation.INFER.template())
                + "/post/requestBody/content/application~1octet-stream/examples").values().iterator().next();
        EntityExchangeResult<byte[]> answer = client.post().uri(Operation.INFER.path(this))
                .contentType(MediaType.APPLICATION_OCTET_STREAM).body(binary.get("value").asString())
                .exchange().returnResult(byte[].class);
        assertThat(answer.getStatus().value()).as(new String(answer.getResponseBodyContent())).isEqualTo(200);
        assertThat(answer.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_OCTET_STREAM);
    }

    /** Every GET operation answers 2xx with its path parameters as served, and 4xx for a version the spec refuses. */
    @Test
    void getOperationsAnswerTheirParametersAsTheSpecSays() {
        List<String> failures = new ArrayList<>();
        spec.get("paths").properties().forEach(entry -> {
            JsonNode get = entry.getValue().get("get");
            if (get == null) {
                return;
            }
            String template = entry.getKey();
            int status = client.get().uri(fill(template, model, version)).accept(MediaType.APPLICATION_JSON)
                    .exchange().returnResult(String.class).getStatus().value();
            if (status != 200) {
                failures.add("GET " + template + " as served → " + status);
            }
            for (JsonNode parameter : get.path("parameters")) {
                if (!parameter.path("in").asString().equals("path") || !parameter.get("name").asString().equals("version")) {
                    continue;
                }
                JsonNode schema = parameter.get("schema");
                for (String wrong : List.of("0", "-1", "v1", "1.5", "99999999999999999999")) {
                    if (judge.valid(schema, NODES.stringNode(wrong))) {
                        failures.add("GET " + template + ": version '" + wrong + "' is valid by the spec");
                        continue;
                    }
                    int refused = client.get().uri(fill(template, model, wrong)).accept(MediaType.APPLICATION_JSON)
                            .exchange().returnResult(String.class).getStatus().value();
                    if (refused < 400 || refused > 499) {
                        failures.add("GET " + template + " with version '" + wrong + "' → " + refused);
                    }
                }
            }
        });
        assertThat(failures).isEmpty();
    }

    /** Null when the answer is a refusal as the protocol gives one, else what is wrong with it. */
    private static @Nullable String refusal(Operation operation, EntityExchangeResult<String> answer) {
        int status = answer.getStatus().value();
        String body = answer.getResponseBody();
        if (status < 400 || status > 499) {
            return status + " " + body;
        }
        MediaType type = answer.getResponseHeaders().getContentType();
        JsonNode json = body == null ? NODES.missingNode() : JsonMapper.shared().readTree(body);
        if (operation.problems()) {
            if (type == null || !type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    || !json.path("type").asString("").startsWith("urn:rnn-serving:problem:") || !json.has("pointer")) {
                return status + " without a problem and its pointer: " + type + " " + body;
            }
        } else if (type == null || !type.isCompatibleWith(MediaType.APPLICATION_JSON)
                || json.path("error").asString("").isBlank()) {
            return status + " without {\"error\": ...}: " + type + " " + body;
        }
        return null;
    }

    private EntityExchangeResult<String> post(String path, JsonNode body) {
        return client.method(HttpMethod.POST).uri(path).contentType(MediaType.APPLICATION_JSON)
                .body(body.toString()).exchange().returnResult(String.class);
    }

    private JsonNode get(String path) {
        return JsonMapper.shared().readTree(client.get().uri(path).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private static String fill(String template, String name, String version) {
        return template.replace("{name}", name).replace("{version}", version);
    }

    private static String escape(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }

    private static List<Operation> operations() {
        return List.of(Operation.values());
    }

    /** The POST operations with a JSON body, and how a request for each is drawn. */
    enum Operation {
        PREDICT("/predict", true),
        PREDICT_MODEL("/models/{name}/predict", true),
        PREDICT_VERSION("/models/{name}/versions/{version}/predict", true),
        INFER("/v2/models/{name}/infer", false),
        INFER_VERSION("/v2/models/{name}/versions/{version}/infer", false),
        TF_SERVING("/v1/models/{name}:predict", false),
        TF_SERVING_VERSION("/v1/models/{name}/versions/{version}:predict", false);

        private final String template;
        private final boolean problems;

        Operation(String template, boolean problems) {
            this.template = template;
            this.problems = problems;
        }

        String template() {
            return template;
        }

        boolean problems() {
            return problems;
        }

        String path(SpecTruthTest test) {
            return fill(template, test.model, test.version);
        }

        SchemaSampler.ModelRules rules(SpecTruthTest test, Random random) {
            int samples = 1 + random.nextInt(3);
            return switch (this) {
                case PREDICT, PREDICT_MODEL, PREDICT_VERSION -> new PredictRules(test, samples, ragged(test, samples, random));
                case INFER, INFER_VERSION -> new InferRules(test, samples, 1 + random.nextInt(test.steps), random);
                case TF_SERVING, TF_SERVING_VERSION -> new TfRules(test, samples, 1 + random.nextInt(test.steps));
            };
        }

        private static int[] ragged(SpecTruthTest test, int samples, Random random) {
            int[] steps = new int[samples];
            for (int n = 0; n < samples; n++) {
                steps[n] = 1 + random.nextInt(test.steps);
            }
            return steps;
        }
    }

    /** POST /predict: N samples of their own T, D features; lengths up to each T; h0 N×M, or by layer name. */
    record PredictRules(SpecTruthTest model, int samples, int[] steps) implements SchemaSampler.ModelRules {
        @Override
        public int length(String pointer) {
            String[] at = pointer.split("/");
            if (pointer.equals("/x") || pointer.equals("/lengths") || pointer.equals("/h0")
                    || pointer.equals("/h0/" + model.layer)) {
                return samples;
            }
            if (at.length == 3 && at[1].equals("x")) {
                return steps[Integer.parseInt(at[2])];
            }
            if (at.length == 4 && at[1].equals("x")) {
                return model.features;
            }
            if (pointer.startsWith("/h0/")) {
                return model.units;
            }
            return -1;
        }

        @Override
        public boolean fits(String pointer, String leaf, int depth) {
            if (pointer.equals("/x")) {
                return model.tokenIds ? leaf.equals("integer") : leaf.equals("number");
            }
            // a SimpleRNN's state is one part: N×M, not an object of parts
            return !pointer.startsWith("/h0/") || !leaf.equals("object");
        }

        @Override
        public List<String> names(String pointer) {
            return pointer.equals("/h0") ? List.of(model.layer) : List.of();
        }

        @Override
        public @Nullable Long maximum(String pointer) {
            return pointer.startsWith("/lengths/") ? (long) steps[Integer.parseInt(pointer.substring(9))] : null;
        }
    }

    /** KServe v2 infer: the tensors the metadata lists, one N and T for all, the outputs it lists, the path's model. */
    static final class InferRules implements SchemaSampler.ModelRules {
        private final SpecTruthTest model;
        private final int samples;
        private final int steps;
        private final Random random;
        private final List<String> outputs = new ArrayList<>();

        InferRules(SpecTruthTest model, int samples, int steps, Random random) {
            this.model = model;
            this.samples = samples;
            this.steps = steps;
            this.random = random;
            model.metadata.get("outputs").forEach(output -> outputs.add(output.get("name").asString()));
            Collections.shuffle(outputs, random);
        }

        @Override
        public @Nullable JsonNode value(String pointer) {
            return switch (pointer) {
                case "/model_name" -> NODES.stringNode(model.model);
                case "/model_version" -> NODES.stringNode(model.version);
                case "/inputs" -> inputs();
                default -> pointer.matches("/outputs/\\d+/name")
                        ? NODES.stringNode(outputs.get(Integer.parseInt(pointer.split("/")[2]))) : null;
            };
        }

        @Override
        public int length(String pointer) {
            return pointer.equals("/outputs") ? 1 + random.nextInt(outputs.size()) : -1;
        }

        private ArrayNode inputs() {
            ArrayNode inputs = NODES.arrayNode();
            for (JsonNode input : model.metadata.get("inputs")) {
                String name = input.get("name").asString();
                if (!name.equals("x") && random.nextBoolean()) {
                    continue;
                }
                ObjectNode tensor = inputs.addObject().put("name", name);
                int[] shape = new int[input.get("shape").size()];
                for (int axis = 0; axis < shape.length; axis++) {
                    int size = input.get("shape").get(axis).asInt();
                    shape[axis] = size >= 0 && !(name.equals("x") && axis == 1) ? size : axis == 0 ? samples : steps;
                }
                boolean whole = name.equals("lengths") || model.tokenIds && name.equals("x");
                tensor.put("datatype", whole ? (random.nextBoolean() ? "INT32" : "INT64")
                        : (random.nextBoolean() ? "FP32" : "FP64"));
                ArrayNode shapeNode = tensor.putArray("shape");
                int count = 1;
                for (int size : shape) {
                    shapeNode.add(size);
                    count *= size;
                }
                ArrayNode flat = NODES.arrayNode();
                for (int i = 0; i < count; i++) {
                    flat.add(name.equals("lengths") ? NODES.numberNode(1 + random.nextInt(steps))
                            : NODES.numberNode(Math.round((random.nextDouble() * 4 - 2) * 1000) / 1000.0));
                }
                tensor.set("data", random.nextBoolean() ? flat : nested(flat, shape, 0, new int[1]));
                if (random.nextBoolean()) {
                    tensor.putObject("parameters");
                }
            }
            return inputs;
        }

        private static JsonNode nested(ArrayNode flat, int[] shape, int axis, int[] next) {
            if (axis == shape.length) {
                return flat.get(next[0]++);
            }
            ArrayNode array = NODES.arrayNode();
            for (int i = 0; i < shape[axis]; i++) {
                array.add(nested(flat, shape, axis + 1, next));
            }
            return array;
        }
    }

    /** TF Serving predict: N samples of one T (rectangular), D features. */
    record TfRules(SpecTruthTest model, int samples, int steps) implements SchemaSampler.ModelRules {
        @Override
        public int length(String pointer) {
            // instances/n and inputs/n are both sample n; a named input's x adds no axis
            long axes = java.util.Arrays.stream(pointer.substring(1).split("/")).filter(part -> !part.equals("x")).count();
            return axes == 1 ? samples : axes == 2 ? steps : axes == 3 ? model.features : -1;
        }

        @Override
        public boolean fits(String pointer, String leaf, int depth) {
            return model.tokenIds ? !leaf.equals("number") : !leaf.equals("integer");
        }
    }
}
