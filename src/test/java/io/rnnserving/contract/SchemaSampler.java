package io.rnnserving.contract;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BiPredicate;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Instances of a schema of the committed spec, drawn with a seeded {@link Random}: valid ones (required and a random
 * choice of optional properties, array lengths within minItems/maxItems, numbers within their bounds, a oneOf branch,
 * an enum value), and invalid ones made from a valid one by breaking one constraint at one place (a required property
 * removed, a value of the wrong type, an unknown or refused property added, an array below minItems or above
 * maxItems, a number below its minimum, a string outside its enum or pattern, a value that matches no branch of a
 * oneOf or, for a oneOf of required properties, both). Only the keywords the spec uses are known; an unknown one
 * fails the draw rather than being ignored.
 */
final class SchemaSampler {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> KNOWN = Set.of("$ref", "type", "properties", "required", "additionalProperties", "pattern",
            "patternProperties", "items", "minItems", "maxItems", "minimum", "maximum", "enum", "oneOf", "format",
            "description", "default", "example", "examples", "title", "not");
    /** Names tried against a patternProperties pattern of refused parameters. */
    private static final List<String> REFUSED_NAMES = List.of("shared_memory_region", "sequence_id", "sequence_start",
            "classification");

    /**
     * What the schema cannot say, decided by the served model (and the rest of the request), by the JSON pointer of
     * the place being drawn. Every rule here is one the schema's description states.
     */
    interface ModelRules {
        /** The whole value the model dictates at this place, or null to draw it from the schema. */
        default @Nullable JsonNode value(String pointer) {
            return null;
        }

        /** The length of the array at this place, or -1 to draw one within the schema's bounds. */
        default int length(String pointer) {
            return -1;
        }

        /**
         * Whether a branch of a oneOf fits the model here, told by what its innermost items are (number, integer,
         * object, oneOf) and how deeply they are nested in arrays.
         */
        default boolean fits(String pointer, String leaf, int depth) {
            return true;
        }

        /** The names of an open object's properties (additionalProperties a schema) at this place. */
        default List<String> names(String pointer) {
            return List.of();
        }

        /** The largest number the model takes here, or null for the schema's own bound. */
        default @Nullable Long maximum(String pointer) {
            return null;
        }

        /** Whether an optional property may be drawn at this place. */
        default boolean allows(String pointer) {
            return true;
        }
    }

    /** A body that breaks one constraint at one place. */
    record Mutant(String what, JsonNode body) {
    }

    private final JsonNode spec;
    private final Random random;

    SchemaSampler(JsonNode spec, long seed) {
        this.spec = spec;
        this.random = new Random(seed);
    }

    JsonNode valid(JsonNode schema, ModelRules rules) {
        return draw(schema, "", rules);
    }

    private JsonNode draw(JsonNode reference, String pointer, ModelRules rules) {
        JsonNode schema = resolve(reference);
        JsonNode fixed = rules.value(pointer);
        if (fixed != null) {
            return fixed;
        }
        if (schema.has("oneOf")) {
            List<JsonNode> fitting = new ArrayList<>();
            for (JsonNode branch : schema.get("oneOf")) {
                JsonNode resolved = resolve(branch);
                JsonNode leaf = resolved;
                int depth = 0;
                while ("array".equals(leaf.path("type").asString(""))) {
                    leaf = resolve(leaf.get("items"));
                    depth++;
                }
                String leafType = leaf.has("oneOf") ? "oneOf" : leaf.path("type").asString(requiredOnly(leaf) ? "required" : "");
                if (rules.fits(pointer, leafType, depth)) {
                    fitting.add(resolved);
                }
            }
            if (fitting.isEmpty()) {
                throw new IllegalStateException("no branch of the oneOf at " + pointer + " fits the model");
            }
            JsonNode chosen = fitting.get(random.nextInt(fitting.size()));
            if (requiredOnly(chosen)) {
                return drawObject(schema, pointer, rules, chosen.get("required"), othersRequired(schema, chosen));
            }
            return draw(chosen, pointer, rules);
        }
        if (schema.has("enum")) {
            JsonNode values = schema.get("enum");
            return values.get(random.nextInt(values.size()));
        }
        return switch (type(schema, pointer)) {
            case "object" -> drawObject(schema, pointer, rules, NODES.arrayNode(), Set.of());
            case "array" -> {
                int length = rules.length(pointer);
                if (length < 0) {
                    int min = schema.path("minItems").asInt(0);
                    length = min + random.nextInt(Math.min(schema.path("maxItems").asInt(min + 3), min + 3) - min + 1);
                }
                ArrayNode array = NODES.arrayNode();
                for (int i = 0; i < length; i++) {
                    array.add(draw(schema.get("items"), pointer + "/" + i, rules));
                }
                yield array;
            }
            case "integer" -> {
                long min = schema.path("minimum").asLong(0);
                Long modelMax = rules.maximum(pointer);
                long max = modelMax != null ? modelMax : schema.path("maximum").asLong(min + 9);
                yield NODES.numberNode(min + (long) random.nextInt((int) (max - min + 1)));
            }
            case "number" -> NODES.numberNode(Math.round((random.nextDouble() * 4 - 2) * 1000) / 1000.0);
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            case "string" -> {
                if (schema.has("pattern")) {
                    throw new IllegalStateException("no model rule gives the string at " + pointer + " (pattern "
                            + schema.get("pattern") + ")");
                }
                yield NODES.stringNode("s" + random.nextInt(1000));
            }
            default -> throw new IllegalStateException("cannot draw " + schema + " at " + pointer);
        };
    }

    private ObjectNode drawObject(JsonNode schema, String pointer, ModelRules rules, JsonNode extraRequired,
                                  Set<String> excluded) {
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(name -> required.add(name.asString()));
        extraRequired.forEach(name -> required.add(name.asString()));
        ObjectNode object = NODES.objectNode();
        for (String name : schema.path("properties").propertyNames()) {
            String at = pointer + "/" + escape(name);
            boolean drawn = required.contains(name)
                    || (!excluded.contains(name) && rules.allows(at) && random.nextBoolean());
            if (drawn) {
                object.set(name, draw(schema.get("properties").get(name), at, rules));
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && additional.isObject()) {
            for (String name : rules.names(pointer)) {
                object.set(name, draw(additional, pointer + "/" + escape(name), rules));
            }
        }
        return object;
    }

    /** Every body that breaks one constraint of the schema at one place of the valid body. */
    List<Mutant> invalid(JsonNode schema, JsonNode valid, ModelRules rules, BiPredicate<JsonNode, JsonNode> conforms) {
        List<Mutant> mutants = new ArrayList<>();
        walk(schema, valid, "", valid, rules, conforms, mutants);
        return mutants;
    }

    private void walk(JsonNode reference, JsonNode node, String pointer, JsonNode root, ModelRules rules,
                      BiPredicate<JsonNode, JsonNode> conforms, List<Mutant> mutants) {
        JsonNode schema = resolve(reference);
        if (schema.has("oneOf")) {
            JsonNode branches = schema.get("oneOf");
            JsonNode first = resolve(branches.get(0));
            if (requiredOnly(first)) {
                oneOfOfRequired(schema, node, pointer, root, rules, mutants);
            } else {
                if (branches.findValues("type").stream().noneMatch(type -> type.asString().equals("string"))) {
                    mutants.add(new Mutant("matches no branch of the oneOf at " + pointer,
                            with(root, pointer, NODES.stringNode("none"))));
                }
                for (JsonNode branch : branches) {
                    if (conforms.test(branch, node)) {
                        walk(branch, node, pointer, root, rules, conforms, mutants);
                    }
                }
                return;
            }
        }
        if (schema.has("enum")) {
            mutants.add(new Mutant("outside the enum at " + pointer, with(root, pointer, NODES.stringNode("unlisted"))));
            return;
        }
        String type = schema.has("type") || schema.has("properties") ? type(schema, pointer) : "";
        JsonNode wrong = switch (type) {
            case "integer" -> NODES.numberNode(0.5);
            case "string" -> NODES.numberNode(7);
            case "" -> null;
            default -> NODES.stringNode("wrong");
        };
        if (wrong != null) {
            mutants.add(new Mutant("wrong type (" + type + ") at " + pointer, with(root, pointer, wrong)));
        }
        switch (type) {
            case "object" -> walkObject(schema, (ObjectNode) node, pointer, root, rules, conforms, mutants);
            case "array" -> {
                int min = schema.path("minItems").asInt(0);
                if (min > 0) {
                    ArrayNode shorter = ((ArrayNode) node).deepCopy();
                    while (shorter.size() >= min) {
                        shorter.remove(shorter.size() - 1);
                    }
                    mutants.add(new Mutant("fewer than minItems " + min + " at " + pointer, with(root, pointer, shorter)));
                }
                if (schema.has("maxItems") && !node.isEmpty()) {
                    ArrayNode longer = ((ArrayNode) node).deepCopy();
                    while (longer.size() <= schema.get("maxItems").asInt()) {
                        longer.add(node.get(0).deepCopy());
                    }
                    mutants.add(new Mutant("more than maxItems at " + pointer, with(root, pointer, longer)));
                }
                // the first and the last item stand for all: each is drawn from the same schema
                for (int i : node.size() > 1 ? new int[] {0, node.size() - 1} : new int[] {0}) {
                    if (i < node.size()) {
                        walk(schema.get("items"), node.get(i), pointer + "/" + i, root, rules, conforms, mutants);
                    }
                }
            }
            case "integer", "number" -> {
                if (schema.has("minimum")) {
                    mutants.add(new Mutant("below the minimum at " + pointer,
                            with(root, pointer, NODES.numberNode(schema.get("minimum").asLong() - 1))));
                }
            }
            case "string" -> {
                if (schema.has("pattern")) {
                    mutants.add(new Mutant("outside the pattern at " + pointer,
                            with(root, pointer, NODES.stringNode("unlisted/a/b/c"))));
                }
            }
            default -> {
            }
        }
    }

    private void walkObject(JsonNode schema, ObjectNode node, String pointer, JsonNode root, ModelRules rules,
                            BiPredicate<JsonNode, JsonNode> conforms, List<Mutant> mutants) {
        for (JsonNode required : schema.path("required")) {
            if (node.has(required.asString())) {
                mutants.add(new Mutant("without the required " + required.asString() + " at " + pointer,
                        with(root, pointer, node.deepCopy().without(required.asString()))));
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
            mutants.add(new Mutant("an unknown property at " + pointer,
                    with(root, pointer, node.deepCopy().put("unexpected", 1))));
        }
        for (String pattern : schema.path("patternProperties").propertyNames()) {
            REFUSED_NAMES.stream().filter(name -> name.matches(".*" + pattern.replace("^", "").replace("$", "") + ".*"))
                    .findFirst().ifPresent(name -> mutants.add(new Mutant("the refused property " + name + " at "
                            + pointer, with(root, pointer, node.deepCopy().put(name, 1)))));
        }
        for (Iterator<String> names = node.propertyNames().iterator(); names.hasNext(); ) {
            String name = names.next();
            JsonNode property = schema.path("properties").get(name);
            JsonNode valueSchema = property != null ? property : additional;
            if (valueSchema != null && valueSchema.isObject()) {
                walk(valueSchema, node.get(name), pointer + "/" + escape(name), root, rules, conforms, mutants);
            }
        }
    }

    /** A oneOf whose branches only require properties of the object beside it: both, and none. */
    private void oneOfOfRequired(JsonNode schema, JsonNode node, String pointer, JsonNode root, ModelRules rules,
                                 List<Mutant> mutants) {
        ObjectNode both = ((ObjectNode) node).deepCopy();
        ObjectNode none = ((ObjectNode) node).deepCopy();
        for (JsonNode branch : schema.get("oneOf")) {
            for (JsonNode required : resolve(branch).get("required")) {
                String name = required.asString();
                if (!both.has(name)) {
                    both.set(name, draw(schema.get("properties").get(name), pointer + "/" + escape(name), rules));
                }
                none.remove(name);
            }
        }
        mutants.add(new Mutant("both branches of the oneOf at " + pointer, with(root, pointer, both)));
        mutants.add(new Mutant("no branch of the oneOf at " + pointer, with(root, pointer, none)));
    }

    private static boolean requiredOnly(JsonNode branch) {
        return branch.has("required") && !branch.has("type") && !branch.has("properties") && !branch.has("oneOf");
    }

    private Set<String> othersRequired(JsonNode schema, JsonNode chosen) {
        Set<String> others = new HashSet<>();
        for (JsonNode branch : schema.get("oneOf")) {
            if (resolve(branch) != chosen) {
                resolve(branch).path("required").forEach(name -> others.add(name.asString()));
            }
        }
        return others;
    }

    private String type(JsonNode schema, String pointer) {
        for (String keyword : schema.propertyNames()) {
            if (!KNOWN.contains(keyword)) {
                throw new IllegalStateException("the sampler does not know the keyword " + keyword + " at " + pointer);
            }
        }
        JsonNode type = schema.get("type");
        if (type == null) {
            if (schema.has("properties")) {
                return "object";
            }
            throw new IllegalStateException("no type at " + pointer + ": " + schema);
        }
        if (type.isArray()) {
            throw new IllegalStateException("a request schema with several types at " + pointer);
        }
        return type.asString();
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode resolved = schema;
        while (resolved.has("$ref")) {
            resolved = spec.at(resolved.get("$ref").asString().substring(1));
        }
        return resolved;
    }

    /** A copy of root with the value at pointer replaced. */
    private static JsonNode with(JsonNode root, String pointer, JsonNode value) {
        if (pointer.isEmpty()) {
            return value;
        }
        JsonNode copy = root.deepCopy();
        int last = pointer.lastIndexOf('/');
        JsonNode parent = copy.at(pointer.substring(0, last));
        String key = pointer.substring(last + 1).replace("~1", "/").replace("~0", "~");
        if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(key), value);
        } else {
            ((ObjectNode) parent).set(key, value);
        }
        return copy;
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    static JsonNode json(String text) {
        return JsonMapper.shared().readTree(text);
    }
}
