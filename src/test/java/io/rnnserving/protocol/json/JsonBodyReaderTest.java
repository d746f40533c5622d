package io.rnnserving.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;
import io.rnnserving.serving.RequestLimits;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonToken;

class JsonBodyReaderTest {

    private static JsonBodyReader open(String json, RequestLimits limits) {
        return JsonBodyReader.open(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), limits);
    }

    private static void readAll(JsonBodyReader reader) {
        int depth = 0;
        do {
            JsonToken token = reader.next();
            depth += token.isStructStart() ? 1 : token.isStructEnd() ? -1 : 0;
        } while (depth > 0);
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedByTheParserWithItsPlace() {
        RequestLimits limits = new RequestLimits(1024, 10, 10, 100, 4);
        try (JsonBodyReader reader = open("{\"x\": [[[1, 2, 3]]]}", limits)) {
            readAll(reader);
        }
        try (JsonBodyReader reader = open("{\"x\": [[[[1]]]]}", limits)) {
            assertThatThrownBy(() -> readAll(reader)).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                assertThat(e.kind()).isEqualTo(ProblemKind.MALFORMED_JSON);
                assertThat(e.detail()).startsWith("the JSON exceeds a parser limit").contains("4");
                assertThat(e.pointer()).startsWith("/x/0/0");
            });
        }
    }

    @Test
    void numbersAreJudgedAsFloat32() {
        RequestLimits limits = RequestLimits.DEFAULTS;
        try (JsonBodyReader reader = open("[3.4028235e38, -3.4028235e38, 1e-400, 3.4028236e38, 1e39]", limits)) {
            reader.next();
            for (double expected : new double[] {3.4028235e38, -3.4028235e38, 0.0}) {
                reader.next();
                assertThat(reader.number(() -> "/")).isEqualTo(expected);
            }
            for (int i = 3; i < 5; i++) {
                reader.next();
                String pointer = "/" + i;
                assertThatThrownBy(() -> reader.number(() -> pointer)).isInstanceOfSatisfying(
                        InvalidRequestException.class, e -> {
                            assertThat(e.kind()).isEqualTo(ProblemKind.INVALID_NUMBER);
                            assertThat(e.pointer()).isEqualTo(pointer);
                        });
            }
        }
    }

    @Test
    void aStringOfInvalidUtf8IsMalformedJsonWithItsPlace() {
        byte[] body = {'{', '"', 'n', '"', ':', ' ', '"', 'x', (byte) 0xC3, '"', '}'};
        try (JsonBodyReader reader = JsonBodyReader.open(new ByteArrayInputStream(body), RequestLimits.DEFAULTS)) {
            reader.next();
            reader.next();
            reader.next();
            assertThatThrownBy(() -> reader.string("/n")).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                assertThat(e.kind()).isEqualTo(ProblemKind.MALFORMED_JSON);
                assertThat(e.pointer()).isEqualTo("/n");
                assertThat(e.detail()).startsWith("the body is not valid JSON: Invalid UTF-8");
            });
        }
    }

    @Test
    void numbersAreTheDoubleNearestTheirText() {
        String[] texts = {"0", "-0", "-0.0", "1e2", "1E+2", "2.5e-3", "-7.25E-1", "123456789012345678901234567890",
                "0.12345678901234567890123", "9007199254740993", "2.2250738585072012e-308", "1e-400", "0.000001e+5"};
        double[] expected = {0.0, -0.0, -0.0, 100.0, 100.0, 0.0025, -0.725, 1.2345678901234568e29,
                0.12345678901234568, 9007199254740992.0, 2.2250738585072014e-308, 0.0, 0.1};
        try (JsonBodyReader reader = open("[" + String.join(", ", texts) + "]", RequestLimits.DEFAULTS)) {
            reader.next();
            for (int i = 0; i < texts.length; i++) {
                reader.next();
                assertThat(Double.doubleToRawLongBits(reader.number(() -> "/")))
                        .as(texts[i]).isEqualTo(Double.doubleToRawLongBits(expected[i]));
            }
        }
    }

    @Test
    void leadingZeroesAndOtherNonJsonNumbersAreMalformed() {
        for (String number : new String[] {"01", "-01", "00.5", ".5", "5.", "1e", "1e+", "+1", "-", "0x10", "1.5.2",
                "1f", "-NaN"}) {
            try (JsonBodyReader reader = open("{\"x\": [" + number + "]}", RequestLimits.DEFAULTS)) {
                reader.next();
                reader.next();
                reader.next();
                assertThatThrownBy(() -> reader.next()).as(number)
                        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                            assertThat(e.kind()).isEqualTo(ProblemKind.MALFORMED_JSON);
                            assertThat(e.pointer()).startsWith("/x");
                        });
            }
        }
    }

    @Test
    void nanInfinityAndHugeExponentsAreRefusedNumbersWithTheirPointer() {
        String body = "[NaN, Infinity, -Infinity, +Infinity, 1e999, -1e400, 4e38]";
        try (JsonBodyReader reader = open(body, RequestLimits.DEFAULTS)) {
            reader.next();
            for (int i = 0; i < 7; i++) {
                reader.next();
                String pointer = "/" + i;
                assertThatThrownBy(() -> reader.number(() -> pointer)).isInstanceOfSatisfying(
                        InvalidRequestException.class, e -> {
                            assertThat(e.kind()).isEqualTo(ProblemKind.INVALID_NUMBER);
                            assertThat(e.pointer()).isEqualTo(pointer);
                        });
            }
        }
    }

    @Test
    void aNumberLongerThanTheLimitIsRefusedAsAParserLimit() {
        String digits = "1." + "1".repeat(120);
        try (JsonBodyReader reader = open("{\"x\": [" + digits + "]}", RequestLimits.DEFAULTS)) {
            reader.next();
            reader.next();
            reader.next();
            assertThatThrownBy(reader::next).isInstanceOfSatisfying(InvalidRequestException.class,
                    e -> assertThat(e.detail()).startsWith("the JSON exceeds a parser limit"));
        }
    }
}
