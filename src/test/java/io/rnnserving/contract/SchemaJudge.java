package io.rnnserving.contract;

import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Judges instances by a schema of the committed spec with networknt's JSON Schema validator (draft 2020-12, the
 * dialect of OpenAPI 3.1): an independent implementation of the keywords, not this project's reading of them.
 */
final class SchemaJudge {
    private static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private final JsonNode spec;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    SchemaJudge(JsonNode spec) {
        this.spec = spec;
    }

    /** The problems of the instance by the schema, none when it is valid. */
    List<Error> problems(JsonNode schema, JsonNode instance) {
        return compile(schema).validate(instance);
    }

    boolean valid(JsonNode schema, JsonNode instance) {
        return problems(schema, instance).isEmpty();
    }

    /** The schema with the spec's components beside it, so that its $refs resolve within one document. */
    private Schema compile(JsonNode schema) {
        ObjectNode root = JsonMapper.shared().createObjectNode();
        root.put("$schema", DIALECT);
        root.set("components", spec.get("components"));
        root.set("allOf", JsonMapper.shared().createArrayNode().add(schema));
        return registry.getSchema(root);
    }
}
