package io.rnnserving.protocol.json;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;
import io.rnnserving.serving.RequestLimits;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonToken;

/**
 * Reads a JSON request body token by token, straight into primitive arrays, turning every problem into an
 * {@link InvalidRequestException} with the JSON pointer of the place it was found. Pointers are built only
 * when something is wrong, never per number.
 */
public final class JsonBodyReader implements AutoCloseable {
    private static final int MAX_NUMBER_LENGTH = 100;
    private static final int MAX_STRING_LENGTH = 64 * 1024;
    private static final int MAX_NAME_LENGTH = 1024;

    private final JsonTokens tokens;
    /** The body's length in the bytes the tokens read, -1 when unknown. */
    private final long bodyBytes;

    private JsonBodyReader(JsonTokens tokens, long bodyBytes) {
        this.tokens = tokens;
        this.bodyBytes = bodyBytes;
    }

    public static JsonBodyReader open(InputStream body, RequestLimits limits) {
        return open(body, -1, limits);
    }

    /**
     * @param declaredLength the body's Content-Length, -1 when it declares none; only an estimate of what is left to
     *                       read ({@link #bytesLeft()}), never trusted as a limit
     */
    public static JsonBodyReader open(InputStream body, long declaredLength, RequestLimits limits) {
        InputStream limited = new LimitedInputStream(body, limits.maxBodyBytes());
        PushbackInputStream in = new PushbackInputStream(limited, 4);
        Charset charset = encoding(in);
        return new JsonBodyReader(new JsonTokens(asUtf8(in, charset), limits.maxNestingDepth(), MAX_NUMBER_LENGTH,
                MAX_STRING_LENGTH, MAX_NAME_LENGTH), charset == StandardCharsets.UTF_8 ? declaredLength : -1);
    }

    /** The body's encoding, told by its first bytes as RFC 4627 and Jackson do, which are left to read. */
    private static Charset encoding(PushbackInputStream in) {
        try {
            byte[] head = in.readNBytes(4);
            in.unread(head);
            return head.length < 2 ? StandardCharsets.UTF_8 : encoding(head);
        } catch (IOException e) {
            throw new InvalidRequestException(ProblemKind.MALFORMED_JSON, "", "the body cannot be read");
        }
    }

    /** The body as UTF-8: a UTF-16 or UTF-32 body transcoded. */
    private static InputStream asUtf8(PushbackInputStream in, Charset charset) {
        try {
            if (charset == StandardCharsets.UTF_8) {
                return in;
            }
            String text = new String(in.readAllBytes(), charset);
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidRequestException(ProblemKind.MALFORMED_JSON, "", "the body cannot be read");
        }
    }

    private static Charset encoding(byte[] head) {
        int b0 = head[0] & 0xFF;
        int b1 = head[1] & 0xFF;
        boolean four = head.length == 4;
        if (four && b0 == 0 && b1 == 0 && (head[2] & 0xFF) == 0xFE && (head[3] & 0xFF) == 0xFF
                || four && b0 == 0 && b1 == 0 && head[2] == 0 && head[3] != 0) {
            return Charset.forName("UTF-32BE");
        }
        if (four && head[2] == 0 && head[3] == 0 && (b0 == 0xFF && b1 == 0xFE || b0 != 0 && b1 == 0)) {
            return Charset.forName("UTF-32LE");
        }
        if (b0 == 0xFE && b1 == 0xFF || b0 == 0 && b1 != 0) {
            return StandardCharsets.UTF_16BE;
        }
        if (b0 == 0xFF && b1 == 0xFE || b0 != 0 && b1 == 0) {
            return StandardCharsets.UTF_16LE;
        }
        return StandardCharsets.UTF_8;
    }

    /** The bytes of the body read so far, up to the end of the current token. */
    public long bytesRead() {
        return tokens.bytesRead();
    }

    /** The bytes of the body after the current token as its Content-Length tells, -1 when unknown. */
    public long bytesLeft() {
        return bodyBytes < 0 ? -1 : Math.max(0, bodyBytes - tokens.bytesRead());
    }

    /** Advances to the next token; a syntax error, a limit or a truncated body becomes a problem with a pointer. */
    public JsonToken next() {
        JsonToken token;
        try {
            token = tokens.next();
        } catch (JsonTokens.SyntaxError e) {
            throw syntaxProblem(e, tokens.pointer());
        }
        if (token == null) {
            throw new InvalidRequestException(ProblemKind.MALFORMED_JSON, tokens.pointer(),
                    "the body ends before the JSON is complete");
        }
        return token;
    }

    private static InvalidRequestException syntaxProblem(JsonTokens.SyntaxError e, String pointer) {
        return new InvalidRequestException(ProblemKind.MALFORMED_JSON, pointer, e.limit
                ? "the JSON exceeds a parser limit: " + e.getMessage()
                : "the body is not valid JSON: " + e.getMessage());
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
            if (tokens.next() != null) {
                throw new InvalidRequestException(ProblemKind.MALFORMED_JSON, "",
                        "the body holds more than one JSON value");
            }
        } catch (JsonTokens.SyntaxError e) {
            throw new InvalidRequestException(ProblemKind.MALFORMED_JSON, "",
                    "the body is not valid JSON after its first value: " + e.getMessage());
        }
    }

    public JsonToken current() {
        JsonToken token = tokens.current();
        if (token == null) {
            throw new IllegalStateException("no token has been read");
        }
        return token;
    }

    /** Skips the value at the current token, including any children. */
    public void skipValue() {
        JsonToken token = tokens.current();
        if (token != JsonToken.START_ARRAY && token != JsonToken.START_OBJECT) {
            return;
        }
        int depth = tokens.depth();
        while (tokens.depth() >= depth) {
            next();
        }
    }

    /** The current token as an input number: finite and within float32 range, as Keras models take them. */
    public double number(PointerSupplier pointer) {
        JsonToken token = tokens.current();
        if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidRequestException(ProblemKind.WRONG_TYPE, pointer.get(),
                    "expected a number, found " + describe(token));
        }
        double value;
        try {
            value = tokens.doubleValue();
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(ProblemKind.INVALID_NUMBER, pointer.get(), "the number cannot be read");
        }
        if (!InputNumbers.allowed(value)) {
            throw new InvalidRequestException(ProblemKind.INVALID_NUMBER, pointer.get(), InputNumbers.refusal(value));
        }
        return value;
    }

    public int positiveInt(PointerSupplier pointer) {
        JsonToken token = tokens.current();
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidRequestException(ProblemKind.WRONG_TYPE, pointer.get(),
                    "expected a positive integer, found " + describe(token));
        }
        Long value = tokens.longValue();
        if (value == null || value < 1 || value > Integer.MAX_VALUE) {
            throw new InvalidRequestException(ProblemKind.INVALID_NUMBER, pointer.get(),
                    "expected a positive integer, found " + tokens.text());
        }
        return value.intValue();
    }

    /** The current token as a size or count: an integer from 0 to {@link Long#MAX_VALUE}. */
    public long nonNegativeLong(String pointer) {
        JsonToken token = tokens.current();
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidRequestException(ProblemKind.WRONG_TYPE, pointer,
                    "expected a non-negative integer, found " + describe(token));
        }
        Long value = tokens.longValue();
        if (value == null || value < 0) {
            throw new InvalidRequestException(ProblemKind.INVALID_NUMBER, pointer,
                    "expected a non-negative integer, found " + tokens.text());
        }
        return value;
    }

    public boolean bool(String pointer) {
        JsonToken token = tokens.current();
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw new InvalidRequestException(ProblemKind.WRONG_TYPE, pointer, "expected true or false, found "
                    + describe(token));
        }
        return token == JsonToken.VALUE_TRUE;
    }

    public String string(String pointer) {
        JsonToken token = tokens.current();
        if (token != JsonToken.VALUE_STRING) {
            throw new InvalidRequestException(ProblemKind.WRONG_TYPE, pointer, "expected a string, found "
                    + describe(token));
        }
        try {
            return tokens.stringValue();
        } catch (JsonTokens.SyntaxError e) {
            // a string's bytes are decoded only when asked for, so invalid UTF-8 surfaces here
            throw syntaxProblem(e, pointer);
        }
    }

    /** Requires the current token to be {@code expected}, else says what {@code what} should have been. */
    public void require(JsonToken expected, PointerSupplier pointer, String what) {
        require(expected, pointer, () -> what);
    }

    /** As above, the message built only for a problem: inside a large array, building it every time is a cost. */
    public void require(JsonToken expected, PointerSupplier pointer, Supplier<String> what) {
        JsonToken token = tokens.current();
        if (token != expected) {
            throw new InvalidRequestException(ProblemKind.WRONG_TYPE, pointer.get(),
                    what.get() + ", found " + describe(token));
        }
    }

    public String describe(@Nullable JsonToken token) {
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

    @Override
    public void close() {
        // the body's stream belongs to the caller; the tokenizer holds nothing else
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
            name = java.util.Objects.requireNonNull(tokens.name());
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
