package io.rnnserving.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** The committed form of the OpenAPI document: the served JSON as YAML with every object's keys sorted. */
final class OpenApiDocument {
    static final String PATH = "openapi/openapi.yaml";
    static final String REGENERATE = "./mvnw test -Dtest=OpenApiSpecTest -Dopenapi.write=true";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .disable(YAMLWriteFeature.SPLIT_LINES)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .enable(YAMLWriteFeature.LITERAL_BLOCK_STYLE)
            .build();

    private OpenApiDocument() {
    }

    static String canonicalYaml(String servedJson) {
        return YAML.writeValueAsString(sorted(JSON.readValue(servedJson, Object.class)));
    }

    private static Object sorted(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> byKey = new TreeMap<>();
            map.forEach((key, value) -> byKey.put((String) key, sorted(value)));
            return byKey;
        }
        if (node instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            list.forEach(item -> items.add(sorted(item)));
            return items;
        }
        return node;
    }
}
