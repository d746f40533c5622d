package io.rnnserving.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The committed PredictRequest schema and the service agree: each body below is judged by the schema (a small
 * validator of the keywords the schema uses: type, required, properties, additionalProperties, items, minItems,
 * maxItems, minimum, oneOf, $ref) and sent; valid by the schema → 200, invalid → a 4xx problem, never a 5xx. The
 * invalid ones are the issue's: valid by the old schema, refused by the service. The number of features per step
 * is the served model's and not in the schema.
 */
@RunningService
class PredictSchemaTruthTest {
    private static final String X = "[[[0.1,0.2,0.3],[0.4,0.5,0.6]],[[0.7,0.8,0.9]]]";
    private static final List<String> BODIES = List.of(
            "{\"x\": " + X + "}",
            "{\"x\": " + X + ", \"lengths\": [2, 1], \"trace\": true, \"returnState\": false}",
            "{\"x\": " + X + ", \"h0\": [[0,0,0,0,0],[1,1,1,1,1]]}",
            "{\"x\": " + X + ", \"h0\": {}}",
            "{\"x\": [[[]]]}",
            "{\"x\": [[]]}",
            "{\"x\": []}",
            "{\"x\": " + X + ", \"inputs\": 1}",
            "{\"x\": " + X + ", \"lengths\": [0, 1]}",
            "{\"x\": " + X + ", \"lengths\": []}",
            "{\"x\": " + X + ", \"h0\": {\"empty\": true}}",
            "{}");

    @Autowired
    RestTestClient client;

    @Test
    void whatTheSchemaAllowsIsServedAndWhatItForbidsIsRefused() throws Exception {
        JsonNode spec = YAMLMapper.builder().build().readTree(Files.readString(Path.of(OpenApiDocument.PATH)));
        JsonNode schema = spec.at("/components/schemas/PredictRequest");
        int valid = 0;
        for (String body : BODIES) {
            boolean allowed = validates(JsonMapper.shared().readTree(body), schema, spec);
            EntityExchangeResult<String> answer = client.post().uri("/predict").contentType(MediaType.APPLICATION_JSON)
                    .body(body).exchange().returnResult(String.class);
            int status = answer.getStatus().value();
            if (allowed) {
                valid++;
                assertThat(status).as("valid by the schema: %s → %s", body, answer.getResponseBody()).isEqualTo(200);
            } else {
                assertThat(status).as("invalid by the schema: %s", body).isBetween(400, 499);
                assertThat(answer.getResponseHeaders().getContentType().toString()).isEqualTo("application/problem+json");
            }
        }
        assertThat(valid).isEqualTo(4);
    }

    private static boolean validates(JsonNode value, JsonNode schema, JsonNode spec) {
        if (schema.has("$ref")) {
            return validates(value, spec.at(schema.get("$ref").asString().substring(1)), spec);
        }
        if (schema.has("oneOf")) {
            int matches = 0;
            for (JsonNode option : schema.get("oneOf")) {
                matches += validates(value, option, spec) ? 1 : 0;
            }
            if (matches != 1) {
                return false;
            }
        }
        String type = schema.path("type").asString("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    return false;
                }
                for (JsonNode required : schema.path("required")) {
                    if (!value.has(required.asString())) {
                        return false;
                    }
                }
                for (Iterator<String> names = value.propertyNames().iterator(); names.hasNext(); ) {
                    String name = names.next();
                    JsonNode property = schema.path("properties").get(name);
                    JsonNode additional = schema.get("additionalProperties");
                    if (property != null) {
                        if (!validates(value.get(name), property, spec)) {
                            return false;
                        }
                    } else if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
                        return false;
                    } else if (additional != null && additional.isObject()
                            && !validates(value.get(name), additional, spec)) {
                        return false;
                    }
                }
            }
            case "array" -> {
                if (!value.isArray() || value.size() < schema.path("minItems").asInt(0)
                        || value.size() > schema.path("maxItems").asInt(Integer.MAX_VALUE)) {
                    return false;
                }
                for (JsonNode item : value) {
                    if (!validates(item, schema.get("items"), spec)) {
                        return false;
                    }
                }
            }
            case "number" -> {
                return value.isNumber();
            }
            case "integer" -> {
                return value.isIntegralNumber() && (!schema.has("minimum")
                        || value.asDouble() >= schema.get("minimum").asDouble());
            }
            case "boolean" -> {
                return value.isBoolean();
            }
            default -> {
                return true;
            }
        }
        return true;
    }
}
