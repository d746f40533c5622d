package io.rnnserving.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.rnnserving.problem.ProblemKind;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** openapi/openapi.yaml is what the service serves, valid, and complete enough to call the API from. */
@RunningService
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiSpecTest {
    private static final Path SPEC = Path.of(OpenApiDocument.PATH);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    RestTestClient client;

    @Test
    @Order(1) // with -Dopenapi.write=true the other tests then check the file just written
    void committedSpecIsWhatTheServiceServes() throws IOException {
        String served = OpenApiDocument.canonicalYaml(client.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        if (Boolean.getBoolean("openapi.write")) {
            Files.createDirectories(SPEC.getParent());
            Files.writeString(SPEC, served, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(SPEC) ? Files.readString(SPEC, StandardCharsets.UTF_8) : "";
        assertThat(committed)
                .as("%s differs from what the service serves at /v3/api-docs (%s). Regenerate it with%n    %s%n"
                        + "review the diff and commit it", SPEC, firstDifference(committed, served),
                        OpenApiDocument.REGENERATE)
                .isEqualTo(served);
    }

    @Test
    void committedSpecValidatesWithSwaggerParser() {
        SwaggerParseResult result = parse();

        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.1");
    }

    @Test
    void documentedExamplesAreWhatTheServiceAnswers() {
        OpenAPI api = parse().getOpenAPI();
        Operation predict = api.getPaths().get("/predict").getPost();
        Map<String, Example> requests = predict.getRequestBody().getContent().get("application/json").getExamples();
        Map<String, Example> answers = predict.getResponses().get("200").getContent().get("application/json")
                .getExamples();
        assertThat(answers).as("a 200 example for each request example").containsOnlyKeys(requests.keySet());
        requests.forEach((name, request) -> {
            if (DocumentedExamplesTest.ofAnotherModel(name)) {
                return; // DocumentedExamplesTest sends it to a server of that model
            }
            Object served = JSON.readValue(client.post().uri("/predict")
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                    .body(json(request)).exchange()
                    .expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody(), Object.class);
            assertThat(served).as("POST /predict with the example '%s'", name)
                    .usingRecursiveComparison()
                    .withComparatorForType(OpenApiSpecTest::closeTo, Double.class)
                    .isEqualTo(JSON.readValue(json(answers.get(name)), Object.class));
        });

        Example model = api.getPaths().get("/model").getGet().getResponses().get("200").getContent()
                .get("application/json").getExamples().values().iterator().next();
        Object served = JSON.readValue(client.get().uri("/model").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody(), Object.class);
        assertThat(served).as("GET /model").isEqualTo(JSON.readValue(json(model), Object.class));
    }

    @Test
    void everyOperationHasSummaryDescriptionExamplesAndErrors() {
        OpenAPI api = parse().getOpenAPI();
        List<String> missing = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String name = method + " " + path;
            if (isBlank(operation.getSummary())) {
                missing.add(name + ": summary");
            }
            if (isBlank(operation.getDescription())) {
                missing.add(name + ": description");
            }
            if (operation.getRequestBody() != null) {
                operation.getRequestBody().getContent().forEach((type, media) -> {
                    if (!hasExample(media)) {
                        missing.add(name + ": request example for " + type);
                    }
                });
            }
            operation.getResponses().forEach((status, response) -> responseExamples(name, status, response, missing));
            if (errorResponses(operation).isEmpty()) {
                missing.add(name + ": error responses");
            }
        }));

        assertThat(missing).as("what the spec lacks").isEmpty();
        assertThat(api.getPaths()).containsKeys("/predict", "/model")
                .as("actuator endpoints are operations, not part of the API contract")
                .allSatisfy((path, item) -> assertThat(path).doesNotStartWith("/actuator"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void errorResponsesOfTheServicesOwnApiAreProblemDetails() {
        OpenAPI api = parse().getOpenAPI();
        for (String path : List.of("/predict", "/model")) {
            api.getPaths().get(path).readOperations().forEach(operation ->
                    assertThat(errorResponses(operation)).isNotEmpty().allSatisfy((status, response) -> {
                        assertThat(response.getContent()).containsOnlyKeys("application/problem+json");
                        MediaType problem = response.getContent().get("application/problem+json");
                        assertThat(problem.getSchema().get$ref()).isEqualTo("#/components/schemas/Problem");
                        assertThat(problem.getExamples()).isNotEmpty().allSatisfy((name, example) ->
                                assertThat(example.getValue()).asString().contains("urn:rnn-serving:problem:"));
                    }));
        }
        Schema<Object> problem = api.getComponents().getSchemas().get("Problem");
        Schema<Object> problemType = (Schema<Object>) problem.getProperties().get("type");
        assertThat(problemType.getEnum()).as("every problem type, in the committed spec")
                .containsExactlyElementsOf(Arrays.stream(ProblemKind.values())
                        .map(kind -> kind.type().toString()).toList());
    }

    /** An example's value as JSON: the parser gives a node, or a plain map for a value repeated in the spec. */
    private static String json(Example example) {
        Object value = example.getValue();
        return value instanceof String text ? text : io.swagger.v3.core.util.Json.pretty(value);
    }

    /** The examples are the float32 answers of the float32 default model as Keras computes them: about 7 digits. */
    private static int closeTo(Double a, Double b) {
        return Math.abs(a - b) <= 1e-6 ? 0 : Double.compare(a, b);
    }

    private static SwaggerParseResult parse() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readLocation(SPEC.toAbsolutePath().toUri().toString(), null, options);
    }

    private static Map<String, ApiResponse> errorResponses(Operation operation) {
        Map<String, ApiResponse> errors = new TreeMap<>();
        operation.getResponses().forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                errors.put(status, response);
            }
        });
        return errors;
    }

    private static void responseExamples(String name, String status, ApiResponse response, List<String> missing) {
        if (isBlank(response.getDescription())) {
            missing.add(name + ": description of response " + status);
        }
        if (response.getContent() != null) {
            response.getContent().forEach((type, media) -> {
                if (!hasExample(media)) {
                    missing.add(name + ": example of response " + status + " " + type);
                }
            });
        }
    }

    private static boolean hasExample(MediaType media) {
        return media.getExample() != null || (media.getExamples() != null && !media.getExamples().isEmpty());
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    private static String firstDifference(String committed, String served) {
        String[] left = committed.split("\n", -1);
        String[] right = served.split("\n", -1);
        for (int line = 0; line < Math.max(left.length, right.length); line++) {
            String a = line < left.length ? left[line] : "<end of file>";
            String b = line < right.length ? right[line] : "<end of document>";
            if (!a.equals(b)) {
                return "first difference at line " + (line + 1) + ": committed '" + a + "', served '" + b + "'";
            }
        }
        return "no line differs";
    }
}
