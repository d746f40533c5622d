package io.rnnserving.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.json.JsonMapper;

/**
 * Float32 answers are written as the shortest text that reads back as the same float32. The naive reference: the
 * text reads back (Float.parseFloat) as the float, and no decimal of one digit fewer does — the nearest ones below
 * and above the float's exact value at that many digits (BigDecimal rounded FLOOR and CEILING) both read back as
 * another float.
 */
class AnswerNumbersTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Answer(@JsonSerialize(using = AnswerNumbers.class) Object numbers, @JsonIgnore boolean float32)
            implements AnswerNumbers.InPrecision {
    }

    @Test
    void float32NumbersAreTheShortestTextOfTheirFloat() {
        SplittableRandom random = new SplittableRandom(18);
        List<Float> floats = new ArrayList<>(List.of(0.23407787f, -0.2278388f, Float.MIN_VALUE, -Float.MIN_VALUE,
                Float.MAX_VALUE, Float.MIN_NORMAL, 1.0e-45f, 1.17549435e-38f, 8.507059e37f, 1.0e23f, 2.0e-3f, 9.999999e-4f,
                0.3f, 1.0f / 3, 16777216f, 16777217f, 3.4028235e38f, 7.038531e-26f, 0.0f, -0.0f, 1.0f, 100f));
        while (floats.size() < 300_000) {
            float f = Float.intBitsToFloat(random.nextInt());
            if (Float.isFinite(f)) {
                floats.add(f);
            }
            // the values a model answers: mostly within a few units of zero
            floats.add((float) random.nextDouble(-4, 4));
        }
        double[] values = new double[floats.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = floats.get(i);
        }
        String json = JSON.writeValueAsString(new Answer(values, true));
        String[] written = json.substring("{\"numbers\":[".length(), json.length() - "]}".length()).split(",");
        assertThat(written).hasSize(values.length);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            String text = written[i];
            String problem = notShortest(floats.get(i), text);
            if (problem != null) {
                wrong.add(floats.get(i) + " written " + text + ": " + problem);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void float64NumbersKeepTheirDoubleTextAndFloat32OnesAreNarrowedAsNumpyDoes() {
        double[] values = {0.23407788654377812, -0.2278387881434021, 1e-300, 0.1};
        String written = JSON.writeValueAsString(new Answer(new Object[] {values, Map.of("h", new double[][] {values})},
                false));
        assertThat(written).isEqualTo("{\"numbers\":[[0.23407788654377812,-0.2278387881434021,1.0E-300,0.1],"
                + "{\"h\":[[0.23407788654377812,-0.2278387881434021,1.0E-300,0.1]]}]}");
        // numpy: repr(np.float32(v)) for each value gives 0.23407789, -0.22783878, 0.0, 0.1
        assertThat(JSON.writeValueAsString(new Answer(new Object[] {values}, true)))
                .isEqualTo("{\"numbers\":[[0.23407789,-0.22783878,0.0,0.1]]}");
    }

    /** Why {@code text} is not the shortest text of {@code f}, or null when it is. */
    private static String notShortest(float f, String text) {
        if (Float.floatToRawIntBits(Float.parseFloat(text)) != Float.floatToRawIntBits(f)) {
            return "reads back as " + Float.parseFloat(text);
        }
        if (f == 0) {
            return text.replace("-", "").replace(".0", "").equals("0") ? null : "zero is written 0.0";
        }
        int digits = new BigDecimal(text).stripTrailingZeros().precision();
        // the text always has a digit after the point (as Java writes 1.4E-45 for 1E-45): two digits are the least
        if (digits <= 2) {
            return null;
        }
        BigDecimal exact = new BigDecimal(f);
        for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
            BigDecimal shorter = exact.round(new MathContext(digits - 1, mode));
            if (shorter.floatValue() == f) {
                return shorter + " is shorter and reads back as the same float";
            }
        }
        return null;
    }
}
