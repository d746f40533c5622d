package io.rnnserving.protocol.json;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonToken;

/**
 * A strict RFC 8259 tokenizer of a UTF-8 body, read through a fixed buffer: Jackson's token stream and limits
 * without its per-token copies, so that a number is scanned once and converted from the body's own bytes. NaN,
 * Infinity, +Infinity and -Infinity are number tokens, so that a reader can refuse them with a pointer.
 */
final class JsonTokens {
    /** A syntax error or a broken limit, with the reason only: the caller adds where it was. */
    static final class SyntaxError extends RuntimeException {
        final boolean limit;

        SyntaxError(String message, boolean limit) {
            super(message, null, false, false);
            this.limit = limit;
        }
    }

    private static final int BUFFER = 32 * 1024;
    private static final VarHandle LITTLE_ENDIAN_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] NAN = {'N', 'a', 'N'};
    private static final byte[] INFINITY = {'I', 'n', 'f', 'i', 'n', 'i', 't', 'y'};

    private final InputStream in;
    private final int maxDepth;
    private final int maxNumberLength;
    private final int maxStringLength;
    private final int maxNameLength;
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private int end;
    /** Bytes of the body already moved out of the buffer: the buffer's first byte is this far into the body. */
    private long bufferStart;
    private boolean exhausted;
    private boolean started;

    // the open containers, outermost first: arrays count their elements, objects hold their current member's name
    private boolean[] isObject = new boolean[16];
    private int[] elements = new int[16];
    private @Nullable String[] names = new String[16];
    private boolean[] awaitingValue = new boolean[16];
    private int depth;

    private @Nullable JsonToken current;
    private int numberStart;
    private int numberLength;
    private boolean numberNegative;
    private long numberSignificand;
    private int numberExponent;
    private boolean numberExact;
    private double nonNumeric;
    private char[] chars = new char[64];
    private int charCount;
    private @Nullable String invalidUtf8;

    JsonTokens(InputStream in, int maxDepth, int maxNumberLength, int maxStringLength, int maxNameLength) {
        this.in = in;
        this.maxDepth = maxDepth;
        this.maxNumberLength = maxNumberLength;
        this.maxStringLength = maxStringLength;
        this.maxNameLength = maxNameLength;
    }

    @Nullable JsonToken current() {
        return current;
    }

    /** The next token, or null at the end of the body after a complete top-level value. */
    @Nullable JsonToken next() {
        JsonToken token = advance();
        current = token;
        return token;
    }

    private @Nullable JsonToken advance() {
        int b = skipWhiteSpace();
        if (depth == 0) {
            if (b < 0) {
                return null;
            }
            return value(b);
        }
        if (b < 0) {
            throw truncated();
        }
        int top = depth - 1;
        if (isObject[top]) {
            if (awaitingValue[top]) {
                awaitingValue[top] = false;
                return value(b);
            }
            if (b == '}') {
                position++;
                depth--;
                return JsonToken.END_OBJECT;
            }
            if (elements[top] > 0) {
                if (b != ',') {
                    throw unexpected(b, "was expecting comma to separate Object entries");
                }
                position++;
                b = skipWhiteSpace();
            }
            if (b != '"') {
                throw unexpected(b, "was expecting double-quote to start field name");
            }
            position++;
            names[top] = string(maxNameLength, true);
            elements[top]++;
            b = skipWhiteSpace();
            if (b != ':') {
                throw unexpected(b, "was expecting a colon to separate field name and value");
            }
            position++;
            awaitingValue[top] = true;
            return JsonToken.PROPERTY_NAME;
        }
        if (b == ']') {
            position++;
            depth--;
            return JsonToken.END_ARRAY;
        }
        if (elements[top] > 0) {
            if (b != ',') {
                throw unexpected(b, "was expecting comma to separate Array entries");
            }
            position++;
            b = skipWhiteSpace();
        }
        elements[top]++;
        return value(b);
    }

    private JsonToken value(int b) {
        switch (b) {
            case '{' -> {
                position++;
                open(true);
                return JsonToken.START_OBJECT;
            }
            case '[' -> {
                position++;
                open(false);
                return JsonToken.START_ARRAY;
            }
            case '"' -> {
                position++;
                string(maxStringLength, false);
                return JsonToken.VALUE_STRING;
            }
            case 't' -> {
                literal(TRUE, "true");
                return JsonToken.VALUE_TRUE;
            }
            case 'f' -> {
                literal(FALSE, "false");
                return JsonToken.VALUE_FALSE;
            }
            case 'n' -> {
                literal(NULL, "null");
                return JsonToken.VALUE_NULL;
            }
            case 'N' -> {
                literal(NAN, "NaN");
                nonNumeric = Double.NaN;
                numberLength = -1;
                return JsonToken.VALUE_NUMBER_FLOAT;
            }
            case 'I' -> {
                literal(INFINITY, "Infinity");
                nonNumeric = Double.POSITIVE_INFINITY;
                numberLength = -1;
                return JsonToken.VALUE_NUMBER_FLOAT;
            }
            case '+' -> {
                position++;
                if (peek() != 'I') {
                    throw new SyntaxError("Unexpected character ('+'): JSON numbers have no leading plus sign", false);
                }
                literal(INFINITY, "+Infinity");
                nonNumeric = Double.POSITIVE_INFINITY;
                numberLength = -1;
                return JsonToken.VALUE_NUMBER_FLOAT;
            }
            case -1 -> throw truncated();
            default -> {
                if (b == '-' || (b >= '0' && b <= '9')) {
                    return number();
                }
                throw unexpected(b, "expected a valid value (JSON String, Number, Array, Object or token 'null', "
                        + "'true' or 'false')");
            }
        }
    }

    private void open(boolean object) {
        if (depth + 1 > maxDepth) {
            throw new SyntaxError("Document nesting depth (" + (depth + 1) + ") exceeds the maximum allowed ("
                    + maxDepth + ")", true);
        }
        if (depth == isObject.length) {
            int grown = depth * 2;
            isObject = java.util.Arrays.copyOf(isObject, grown);
            elements = java.util.Arrays.copyOf(elements, grown);
            names = java.util.Arrays.copyOf(names, grown);
            awaitingValue = java.util.Arrays.copyOf(awaitingValue, grown);
        }
        isObject[depth] = object;
        elements[depth] = 0;
        names[depth] = null;
        awaitingValue[depth] = false;
        depth++;
    }

    /** Scans a number at the position, keeping it in the buffer for {@link #doubleValue()}. */
    private JsonToken number() {
        // a number is at most maxNumberLength bytes: have them all in the buffer, so that it is scanned in place
        if (end - position <= maxNumberLength + 1) {
            fill(maxNumberLength + 2);
        }
        byte[] bytes = buffer;
        int start = position;
        int at = start;
        int limit = end;
        boolean integer = true;
        boolean negative = bytes[at] == '-';
        if (negative) {
            at++;
            if (at < limit && bytes[at] == 'I') {
                position = at;
                literal(INFINITY, "-Infinity");
                nonNumeric = Double.NEGATIVE_INFINITY;
                numberLength = -1;
                return JsonToken.VALUE_NUMBER_FLOAT;
            }
        }
        // the digits go into a long as they are scanned; past 19 digits it overflows and the full parse takes over
        long significand = 0;
        int digitsStart = at;
        int digit;
        while (at < limit && (digit = bytes[at] - '0') >= 0 && digit <= 9) {
            significand = significand * 10 + digit;
            at++;
        }
        int integerDigits = at - digitsStart;
        if (integerDigits == 0) {
            throw at >= limit ? truncated() : unexpected(bytes[at] & 0xFF, "expected digit (0-9) to follow minus sign, "
                    + "for valid numeric value");
        }
        if (integerDigits > 1 && bytes[digitsStart] == '0') {
            throw new SyntaxError("Invalid numeric value: Leading zeroes not allowed", false);
        }
        int fractionDigits = 0;
        if (at < limit && bytes[at] == '.') {
            integer = false;
            at++;
            int fractionStart = at;
            // eight digits at a time while they last: a client's fractions are long
            long eight;
            while (at + 8 <= limit && isEightDigits(eight = (long) LITTLE_ENDIAN_LONGS.get(bytes, at))) {
                significand = significand * 100_000_000 + eightDigits(eight);
                at += 8;
            }
            while (at < limit && (digit = bytes[at] - '0') >= 0 && digit <= 9) {
                significand = significand * 10 + digit;
                at++;
            }
            fractionDigits = at - fractionStart;
            if (fractionDigits == 0) {
                throw at >= limit ? truncated() : unexpected(bytes[at] & 0xFF,
                        "Decimal point not followed by a digit");
            }
        }
        int exponent = -fractionDigits;
        if (at < limit && (bytes[at] == 'e' || bytes[at] == 'E')) {
            integer = false;
            at++;
            boolean negativeExponent = false;
            if (at < limit && (bytes[at] == '+' || bytes[at] == '-')) {
                negativeExponent = bytes[at] == '-';
                at++;
            }
            int exponentStart = at;
            int explicit = 0;
            while (at < limit && isDigit(bytes[at])) {
                // beyond any double's range either way: stop growing before the int overflows
                explicit = Math.min(explicit * 10 + bytes[at] - '0', 1_000_000);
                at++;
            }
            if (at == exponentStart) {
                throw at >= limit ? truncated() : unexpected(bytes[at] & 0xFF, "Exponent indicator not followed by "
                        + "a digit");
            }
            exponent += negativeExponent ? -explicit : explicit;
        }
        int length = at - start;
        if (length > maxNumberLength) {
            throw new SyntaxError("Number value length (" + length + ") exceeds the maximum allowed ("
                    + maxNumberLength + ")", true);
        }
        if (at < limit) {
            int next = bytes[at] & 0xFF;
            // as Jackson: a number runs into the next structural character or white space, not into a letter
            if (next != ',' && next != ']' && next != '}' && next != ' ' && next != '\n' && next != '\r'
                    && next != '\t' && next != ':') {
                throw unexpected(next, "Expected space separating root-level values or a comma, bracket or brace "
                        + "after a number");
            }
        }
        position = at;
        numberStart = start;
        numberLength = length;
        numberNegative = negative;
        numberSignificand = significand;
        numberExponent = exponent;
        numberExact = integerDigits + fractionDigits <= 19;
        return integer ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_NUMBER_FLOAT;
    }

    /** Whether all eight bytes of a little-endian word are ASCII digits (SWAR, as in simdjson and fast_float). */
    private static boolean isEightDigits(long word) {
        return ((word & 0xF0F0F0F0F0F0F0F0L) | (((word + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) >>> 4))
                == 0x3333333333333333L;
    }

    /** The value of eight ASCII digits in a little-endian word, first digit most significant. */
    private static long eightDigits(long word) {
        long digits = word - 0x3030303030303030L;
        digits = digits * 10 + (digits >>> 8);
        return (((digits & 0x000000FF000000FFL) * (100 + (1_000_000L << 32)))
                + (((digits >>> 16) & 0x000000FF000000FFL) * (1 + (10_000L << 32)))) >>> 32;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** How many bytes of the body the tokens read so far took: the offset just past the current token. */
    long bytesRead() {
        return bufferStart + position;
    }

    /** The current number token's value, the double nearest its decimal text (correctly rounded). */
    double doubleValue() {
        if (numberLength < 0) {
            return nonNumeric;
        }
        if (numberExact) {
            double value = DecimalToDouble.eiselLemire(numberSignificand, numberExponent, numberNegative);
            if (!Double.isNaN(value)) {
                return value;
            }
        }
        // more than 19 significant digits, a tie Eisel-Lemire cannot settle, or beyond its range: the full parse
        return JavaDoubleParser.parseDouble(buffer, numberStart, numberLength);
    }

    /** The current integer token's value, or null when it does not fit a long. */
    @Nullable Long longValue() {
        if (numberLength < 0) {
            return null;
        }
        String text = text();
        if (numberLength <= 18) {
            return Long.parseLong(text);
        }
        BigInteger value = new BigInteger(text);
        return value.bitLength() < 64 ? value.longValue() : null;
    }

    /** The current token's text: a number as it was written, a string decoded. */
    String text() {
        if (current == JsonToken.VALUE_NUMBER_INT || current == JsonToken.VALUE_NUMBER_FLOAT) {
            return numberLength < 0 ? nonNumericText() : new String(buffer, numberStart, numberLength,
                    java.nio.charset.StandardCharsets.US_ASCII);
        }
        if (current == JsonToken.VALUE_STRING) {
            return new String(chars, 0, charCount);
        }
        return current == null ? "" : current.name();
    }

    private String nonNumericText() {
        return Double.isNaN(nonNumeric) ? "NaN" : nonNumeric > 0 ? "Infinity" : "-Infinity";
    }

    /** The current string token, decoded; a string of invalid UTF-8 is a syntax error only when it is read. */
    String stringValue() {
        if (invalidUtf8 != null) {
            throw new SyntaxError(invalidUtf8, false);
        }
        return new String(chars, 0, charCount);
    }

    /**
     * Decodes a string whose opening quote was read. A name is returned (and invalid UTF-8 in it refused at once);
     * a value is kept for {@link #stringValue()}.
     */
    private @Nullable String string(int maxLength, boolean name) {
        charCount = 0;
        invalidUtf8 = null;
        while (true) {
            if (position == end && !refill()) {
                throw truncated();
            }
            int b = buffer[position++] & 0xFF;
            if (b == '"') {
                break;
            }
            if (b == '\\') {
                append(escape());
            } else if (b < 0x20) {
                throw new SyntaxError("Illegal unquoted character (CTRL-CHAR, code " + b + "): has to be escaped "
                        + "using backslash to be included in string value", false);
            } else if (b < 0x80) {
                append((char) b);
            } else {
                utf8(b);
            }
            if (charCount > maxLength) {
                throw new SyntaxError((name ? "Name" : "String value") + " length (" + charCount
                        + ") exceeds the maximum allowed (" + maxLength + ")", true);
            }
        }
        if (name) {
            if (invalidUtf8 != null) {
                throw new SyntaxError(invalidUtf8, false);
            }
            return new String(chars, 0, charCount);
        }
        return null;
    }

    private char escape() {
        if (position == end && !refill()) {
            throw truncated();
        }
        int b = buffer[position++] & 0xFF;
        return switch (b) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
                int value = 0;
                for (int i = 0; i < 4; i++) {
                    if (position == end && !refill()) {
                        throw truncated();
                    }
                    int digit = Character.digit(buffer[position++] & 0xFF, 16);
                    if (digit < 0) {
                        throw new SyntaxError("Unexpected character in a \\u escape: expected a hex-digit", false);
                    }
                    value = value << 4 | digit;
                }
                yield (char) value;
            }
            default -> throw new SyntaxError("Unrecognized character escape " + describe(b), false);
        };
    }

    /** Decodes one multi-byte UTF-8 sequence that starts with {@code first}, noting (not throwing) invalid UTF-8. */
    private void utf8(int first) {
        int needed;
        int code;
        if ((first & 0xE0) == 0xC0) {
            needed = 1;
            code = first & 0x1F;
        } else if ((first & 0xF0) == 0xE0) {
            needed = 2;
            code = first & 0x0F;
        } else if ((first & 0xF8) == 0xF0) {
            needed = 3;
            code = first & 0x07;
        } else {
            invalid("Invalid UTF-8 start byte 0x" + Integer.toHexString(first));
            return;
        }
        for (int i = 0; i < needed; i++) {
            if (position == end && !refill()) {
                throw truncated();
            }
            int next = buffer[position] & 0xFF;
            if ((next & 0xC0) != 0x80) {
                invalid("Invalid UTF-8 middle byte 0x" + Integer.toHexString(next));
                return;
            }
            position++;
            code = code << 6 | (next & 0x3F);
        }
        if (Character.isBmpCodePoint(code)) {
            append((char) code);
        } else {
            append(Character.highSurrogate(code));
            append(Character.lowSurrogate(code));
        }
    }

    private void invalid(String reason) {
        if (invalidUtf8 == null) {
            invalidUtf8 = reason;
        }
    }

    private void append(char c) {
        if (charCount == chars.length) {
            chars = java.util.Arrays.copyOf(chars, chars.length * 2);
        }
        chars[charCount++] = c;
    }

    private void literal(byte[] expected, String name) {
        if (end - position < expected.length + 1) {
            fill(expected.length + 1);
        }
        for (int i = 0; i < expected.length; i++) {
            if (position + i >= end) {
                throw truncated();
            }
            if (buffer[position + i] != expected[i]) {
                throw new SyntaxError("Unrecognized token: was expecting '" + name + "'", false);
            }
        }
        position += expected.length;
        if (position < end) {
            int next = buffer[position] & 0xFF;
            if (Character.isLetterOrDigit(next) || next == '_') {
                throw new SyntaxError("Unrecognized token: was expecting '" + name + "'", false);
            }
        }
    }

    private int peek() {
        if (position == end && !refill()) {
            return -1;
        }
        return buffer[position] & 0xFF;
    }

    /** Skips white space (and a UTF-8 byte order mark at the start); the next byte, not consumed, or -1 at the end. */
    private int skipWhiteSpace() {
        while (true) {
            if (position == end && !refill()) {
                return -1;
            }
            int b = buffer[position] & 0xFF;
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                position++;
            } else if (b == 0xEF && !started) {
                started = true;
                literalBom();
            } else {
                started = true;
                return b;
            }
        }
    }

    private void literalBom() {
        fill(3);
        if (end - position < 3 || (buffer[position + 1] & 0xFF) != 0xBB || (buffer[position + 2] & 0xFF) != 0xBF) {
            throw unexpected(0xEF, "expected a valid value");
        }
        position += 3;
    }

    /** Moves what is left to the front and reads until {@code wanted} bytes are buffered or the body ends. */
    private void fill(int wanted) {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, end - position);
            bufferStart += position;
            end -= position;
            numberStart -= position;
            position = 0;
        }
        while (end < wanted && !exhausted) {
            read();
        }
    }

    private boolean refill() {
        if (exhausted) {
            return false;
        }
        bufferStart += end;
        position = 0;
        end = 0;
        while (end == 0 && !exhausted) {
            read();
        }
        return end > 0;
    }

    private void read() {
        try {
            int n = in.read(buffer, end, buffer.length - end);
            if (n < 0) {
                exhausted = true;
            } else {
                end += n;
            }
        } catch (IOException e) {
            throw new SyntaxError("the body could not be read to its end", false);
        }
    }

    private SyntaxError truncated() {
        return new SyntaxError("Unexpected end-of-input", false);
    }

    private SyntaxError unexpected(int b, String expected) {
        return new SyntaxError("Unexpected character " + describe(b) + ": " + expected, false);
    }

    private static String describe(int b) {
        return b >= 0x20 && b < 0x7F ? "('" + (char) b + "' (code " + b + "))" : "(code " + b + ")";
    }

    /** The JSON pointer of the current place: the member name or element index at every open depth. */
    String pointer() {
        StringBuilder pointer = new StringBuilder();
        for (int d = 0; d < depth; d++) {
            if (isObject[d]) {
                if (names[d] != null) {
                    pointer.append('/').append(JsonBodyReader.escape(names[d]));
                }
            } else if (elements[d] > 0) {
                pointer.append('/').append(elements[d] - 1);
            }
        }
        return pointer.toString();
    }

    /** The current member name, for {@link JsonToken#PROPERTY_NAME}. */
    @Nullable String name() {
        return depth == 0 ? null : names[depth - 1];
    }

    int depth() {
        return depth;
    }
}
