package io.rnnserving.protocol.json;

import java.util.Map;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.schubfach.FloatToDecimal;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/**
 * Writes a member of an answer, nested arrays of doubles or objects of them, in the precision of the model that
 * answered: for a float32 model each number as the shortest text that reads back as the same float32 (the Schubfach
 * writer Jackson ships, {@code 0.23407787}), for a float64 model as Jackson writes a double, as before.
 */
public final class AnswerNumbers extends ValueSerializer<Object> {

    /** An answer that knows the precision of the model that computed it. */
    public interface InPrecision {
        boolean float32();
    }

    @Override
    public void serialize(Object value, JsonGenerator gen, SerializationContext context) {
        // the answer being written holds this member: it says the precision
        write(value, gen, gen.currentValue() instanceof InPrecision answer && answer.float32());
    }

    private static void write(Object value, JsonGenerator gen, boolean float32) {
        if (value instanceof double[] numbers) {
            gen.writeStartArray(numbers, numbers.length);
            for (double number : numbers) {
                if (float32) {
                    // Jackson writes a float with Float.toString unless asked otherwise, not always the shortest on JDK 17
                    gen.writeNumber(FloatToDecimal.toString((float) number));
                } else {
                    gen.writeNumber(number);
                }
            }
            gen.writeEndArray();
        } else if (value instanceof Object[] nested) {
            gen.writeStartArray(nested, nested.length);
            for (Object element : nested) {
                write(element, gen, float32);
            }
            gen.writeEndArray();
        } else if (value instanceof Map<?, ?> members) {
            gen.writeStartObject(members);
            for (Map.Entry<?, ?> member : members.entrySet()) {
                gen.writeName(member.getKey().toString());
                write(member.getValue(), gen, float32);
            }
            gen.writeEndObject();
        } else {
            throw new IllegalArgumentException("an answer's numbers are nested arrays of doubles or objects of them, "
                    + "not " + value.getClass().getSimpleName());
        }
    }
}
