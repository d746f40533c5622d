package io.rnnserving.protocol.json;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;
import io.rnnserving.serving.RequestLimits;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;

/**
 * Reads a JSON request body token by token, straight into primitive arrays, turning every problem into an
 * {@link InvalidRequestException} with the JSON pointer of the place it was found. Pointers are built only
 * when something is wrong, never per number.
 */
public final class JsonBodyReader implements AutoCloseable {
    private final JsonParser parser;

    private JsonBodyReader(JsonParser parser) {
        this.parser = parser;
    }

    /** Factories are thread-safe and costly to build (symbol tables, buffer pools): one per nesting limit. */
    private static final Map<Integer, JsonFactory> FACTORIES_BY_NESTING_DEPTH = new ConcurrentHashMap<>();

    public static JsonBodyReader open(InputStream body, RequestLimits limits) {
        JsonFactory factory = FACTORIES_BY_NESTING_DEPTH.computeIfAbsent(limits.maxNestingDepth(),
                JsonBodyReader::factory);
        InputStream limited = new LimitedInputStream(body, limits.maxBodyBytes());
        try {
            return new JsonBodyReader(factory.createParser(ObjectReadContext.empty(), limited));
        } catch (JacksonException e) {
            throw new InvalidRequestException(ProblemKind.MALFORMED_JSON, "", "the body cannot be read as JSON");
        }
    }

    private static JsonFactory factory(int maxNestingDepth) {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxNestingDepth)
                        .maxNumberLength(100)
                        .maxStringLength(64 * 1024)
                        .maxNameLength(1024)
                        .build())
                // NaN and Infinity are read so that they can be refused with a pointer instead of a parse error
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
    }

    /** Advances to the next token; a syntax error, a limit or a truncated body becomes a problem with a pointer. */
    public JsonToken next() {
        try {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new InvalidRequestException(ProblemKind.MALFORMED_JSON, pointerHere(),
                        "the body ends before the JSON is complete");
            }
            return token;
        } catch (StreamConstraintsException e) {
            throw new InvalidRequestException(ProblemKind.MALFORMED_JSON, pointerHere(),
                    "the JSON exceeds a parser limit: " + e.getOriginalMessage());
        } catch (JacksonException e) {
            throw new InvalidRequestException(ProblemKind.MALFORMED_JSON, pointerHere(),
                    "the body is not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
    }

    /** The members of the body's one top-level value, which must be an object. */
    public ObjectMembers bodyMembers() {
        next();
        return members("", "the body must be a JSON object");
    }

    /**
     * The members of the object at the current token, one at a time: each {@link ObjectMembers#next()} moves to a
     * member's value, refusing a name given twice.
     */
    public ObjectMembers members(String pointer, String what) {
        require(JsonToken.START_OBJECT, () -> pointer, what);
        return new ObjectMembers(pointer);
    }

    /** Requires that nothing but white space follows the top-level value. */
    public void expectEnd() {
        try {
            JsonToken token = parser.nextToken();
            if (token != null) {
                throw new InvalidRequestException(ProblemKind.MALFORMED_JSON, "",
                        "the body holds more than one JSON value");
            }
        } catch (JacksonException e) {
            throw new InvalidRequestException(ProblemKind.MALFORMED_JSON, "",
                    "the body is not valid JSON after its first value: " + firstLine(e.getOriginalMessage()));
        }
    }

    public JsonToken current() {
        return parser.currentToken();
    }

    private String fieldName() {
        return parser.currentName();
    }

    /** Skips the value at the current token, including any children. */
    public void skipValue() {
        try {
            parser.skipChildren();
        } catch (JacksonException e) {
            throw new InvalidRequestException(ProblemKind.MALFORMED_JSON, pointerHere(),
                    "the body is not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
    }

    /** The current token as an input number: finite and within float32 range, as Keras models take them. */
    public double number(PointerSupplier pointer) {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidRequestException(ProblemKind.WRONG_TYPE, pointer.get(),
                    "expected a number, found " + describe(token));
        }
        double value;
        try {
            value = parser.getDoubleValue();
        } catch (JacksonException e) {
            throw new InvalidRequestException(ProblemKind.INVALID_NUMBER, pointer.get(), "the number cannot be read");
        }
        if (!InputNumbers.allowed(value)) {
            throw new InvalidRequestException(ProblemKind.INVALID_NUMBER, pointer.get(), InputNumbers.refusal(value));
        }
        return value;
    }

    public int positiveInt(PointerSupplier pointer) {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidRequestException(ProblemKind.WRONG_TYPE, pointer.get(),
                    "expected a positive integer, found " + describe(token));
        }
        if (parser.getNumberType() != JsonParser.NumberType.INT || parser.getIntValue() < 1) {
            throw new InvalidRequestException(ProblemKind.INVALID_NUMBER, pointer.get(),
                    "expected a positive integer, found " + parser.getText());
        }
        return parser.getIntValue();
    }

    /** The current token as a size or count: an integer from 0 to {@link Long#MAX_VALUE}. */
    public long nonNegativeLong(String pointer) {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidRequestException(ProblemKind.WRONG_TYPE, pointer,
                    "expected a non-negative integer, found " + describe(token));
        }
        JsonParser.NumberType type = parser.getNumberType();
        if ((type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) || parser.getLongValue() < 0) {
            throw new InvalidRequestException(ProblemKind.INVALID_NUMBER, pointer,
                    "expected a non-negative integer, found " + parser.getText());
        }
        return parser.getLongValue();
    }

    public boolean bool(String pointer) {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw new InvalidRequestException(ProblemKind.WRONG_TYPE, pointer, "expected true or false, found "
                    + describe(token));
        }
        return token == JsonToken.VALUE_TRUE;
    }

    public String string(String pointer) {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_STRING) {
            throw new InvalidRequestException(ProblemKind.WRONG_TYPE, pointer, "expected a string, found "
                    + describe(token));
        }
        try {
            return parser.getString();
        } catch (JacksonException e) {
            // the parser decodes a string's bytes only when asked for them, so invalid UTF-8 surfaces here
            throw new InvalidRequestException(ProblemKind.MALFORMED_JSON, pointer,
                    "the body is not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
    }

    /** Requires the current token to be {@code expected}, else says what {@code what} should have been. */
    public void require(JsonToken expected, PointerSupplier pointer, String what) {
        require(expected, pointer, () -> what);
    }

    /** As above, the message built only for a problem: inside a large array, building it every time is a cost. */
    public void require(JsonToken expected, PointerSupplier pointer, Supplier<String> what) {
        JsonToken token = parser.currentToken();
        if (token != expected) {
            throw new InvalidRequestException(ProblemKind.WRONG_TYPE, pointer.get(),
                    what.get() + ", found " + describe(token));
        }
    }

    public String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private String pointerHere() {
        try {
            return parser.streamReadContext().pathAsPointer().toString();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        // Jackson appends where in the source it was; the pointer already says where, so keep only the reason
        int end = message.length();
        for (String tail : new String[] {"\n", " (start marker", " at [Source"}) {
            int at = message.indexOf(tail);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return message.substring(0, end);
    }

    @Override
    public void close() {
        parser.close();
    }

    /** Builds a pointer only when a problem needs one. */
    @FunctionalInterface
    public interface PointerSupplier {
        String get();
    }

    /** Escapes a member name for a JSON pointer (RFC 6901). */
    public static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** Walks one JSON object's members; see {@link #members(String, String)}. */
    public final class ObjectMembers {
        private final String objectPointer;
        private final Set<String> seen = new HashSet<>();
        private String name = "";
        private String pointer = "";

        private ObjectMembers(String objectPointer) {
            this.objectPointer = objectPointer;
        }

        /** Moves to the next member's value; false at the end of the object. */
        public boolean next() {
            if (JsonBodyReader.this.next() != JsonToken.PROPERTY_NAME) {
                return false;
            }
            name = fieldName();
            pointer = objectPointer + "/" + escape(name);
            if (!seen.add(name)) {
                throw new InvalidRequestException(ProblemKind.DUPLICATE_FIELD, pointer,
                        "the field '" + name + "' appears twice");
            }
            JsonBodyReader.this.next();
            return true;
        }

        public String name() {
            return name;
        }

        /** The JSON pointer of the current member. */
        public String pointer() {
            return pointer;
        }

        /** The problem of a member the object does not take. */
        public InvalidRequestException unknown(String where, String fields) {
            return new InvalidRequestException(ProblemKind.UNKNOWN_FIELD, pointer,
                    "unknown field '" + name + "'" + where + "; the fields are " + fields);
        }
    }

    /** A growable double array that hands out its storage without a final copy. */
    public static final class DoubleBuffer {
        private double[] values;
        private int size;

        public DoubleBuffer(int initialCapacity) {
            values = new double[Math.max(16, initialCapacity)];
        }

        public void add(double value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = value;
        }

        public int size() {
            return size;
        }

        /** The storage, at least {@link #size()} long. */
        public double[] array() {
            return values;
        }
    }

    private static final class LimitedInputStream extends FilterInputStream {
        private final long limit;
        private long read;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > limit) {
                throw new InvalidRequestException(ProblemKind.BODY_TOO_LARGE, null,
                        "the request body is larger than the limit of " + limit + " bytes");
            }
        }
    }
}
