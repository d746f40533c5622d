package io.rnnserving.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonToken;

/** The tokenizer's numbers against the JDK's correctly rounded {@link Double#parseDouble}, the naive reference. */
class JsonTokensTest {

    @Test
    void aMillionDecimalsReadAsDoubleParseDoubleReadsThem() {
        SplittableRandom random = new SplittableRandom(18);
        List<String> texts = new ArrayList<>(List.of("2.2250738585072012e-308", "2.2250738585072011e-308",
                "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1.7976931348623157e308",
                "1.7976931348623158e308", "1.7976931348623159e308", "9007199254740993", "9007199254740992.5",
                "0.1", "0.30000000000000004", "7.038531e-26", "8.41e21", "5e-324", "1e23", "123456789012345678901e-5",
                "0.000000000000000000000000000000000000000000001", "-0", "0e999", "1e-9999", "1e9999"));
        while (texts.size() < 1_000_000) {
            texts.add(switch (texts.size() % 5) {
                // the shortest text of a random double of any magnitude
                case 0 -> Double.toString(Double.longBitsToDouble(random.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL));
                // 17 to 20 significant digits with an exponent: more digits than a double holds
                case 1 -> random.nextLong(1_000_000_000_000_000L, Long.MAX_VALUE) + "e" + random.nextInt(-340, 290);
                // the exact midpoint between two neighbouring doubles, and a digit either side: the hardest rounding
                case 2 -> midpoint(random, 0);
                case 3 -> midpoint(random, random.nextBoolean() ? 1 : -1);
                // the kind of number a client sends: a few digits, a sign, sometimes an exponent
                default -> (random.nextBoolean() ? "-" : "") + random.nextInt(0, 100) + "." + random.nextInt(0, 1 << 30)
                        + (random.nextBoolean() ? "e" + random.nextInt(-40, 40) : "");
            });
        }
        List<String> mismatches = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += 10_000) {
            List<String> chunk = texts.subList(from, Math.min(texts.size(), from + 10_000));
            JsonTokens tokens = tokens("[" + String.join(",", chunk) + "]");
            assertThat(tokens.next()).isEqualTo(JsonToken.START_ARRAY);
            for (String text : chunk) {
                tokens.next();
                double expected = Double.parseDouble(text);
                double read = tokens.doubleValue();
                if (Double.doubleToRawLongBits(read) != Double.doubleToRawLongBits(expected)) {
                    mismatches.add(text + " read as " + read + ", Double.parseDouble gives " + expected);
                }
            }
            assertThat(tokens.next()).isEqualTo(JsonToken.END_ARRAY);
        }
        assertThat(mismatches).isEmpty();
    }

    /** The exact decimal of the midpoint between a random double in [1, 1024) and the next, short enough for JSON. */
    private static String midpoint(SplittableRandom random, int lastDigitNudge) {
        double low = random.nextDouble(1, 1024);
        BigDecimal middle = new BigDecimal(low).add(new BigDecimal(Math.nextUp(low))).divide(BigDecimal.valueOf(2));
        BigDecimal nudged = middle.add(BigDecimal.ONE.movePointLeft(middle.scale() + 1).multiply(
                BigDecimal.valueOf(lastDigitNudge)));
        return nudged.toPlainString();
    }

    private static JsonTokens tokens(String json) {
        return new JsonTokens(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), 64, 100, 65536, 1024);
    }
}
