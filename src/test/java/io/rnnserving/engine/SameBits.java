package io.rnnserving.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

/** Two forward results equal to the bit: outputs, every state trace and every final state, with their shapes. */
public final class SameBits {
    private SameBits() {
    }

    public static void assertSameBits(ForwardResult actual, ForwardResult expected) {
        assertThat(actual.samples()).isEqualTo(expected.samples());
        assertThat(actual.outputSteps()).isEqualTo(expected.outputSteps());
        assertThat(actual.outputWidth()).isEqualTo(expected.outputWidth());
        assertThat(actual.outputLengths()).isEqualTo(expected.outputLengths());
        assertThat(bits(actual.output())).isEqualTo(bits(expected.output()));
        assertThat(actual.stateTraces().keySet()).containsExactlyElementsOf(expected.stateTraces().keySet());
        expected.stateTraces().forEach((layer, parts) -> {
            assertThat(actual.stateTraces().get(layer).keySet()).as(layer).containsExactlyElementsOf(parts.keySet());
            parts.forEach((part, states) -> {
                var own = actual.stateTraces().get(layer).get(part);
                assertThat(own.samples()).isEqualTo(states.samples());
                assertThat(own.steps()).isEqualTo(states.steps());
                assertThat(own.units()).isEqualTo(states.units());
                assertThat(own.lengths()).isEqualTo(states.lengths());
                assertThat(bits(own.values())).as(layer + "/" + part).isEqualTo(bits(states.values()));
            });
        });
        assertThat(actual.finalStateParts().keySet()).containsExactlyElementsOf(expected.finalStateParts().keySet());
        expected.finalStateParts().forEach((layer, parts) -> {
            assertThat(actual.finalStateParts().get(layer).keySet()).as(layer)
                    .containsExactlyElementsOf(parts.keySet());
            parts.forEach((part, state) -> assertThat(bits(actual.finalStateParts().get(layer).get(part)))
                    .as(layer + "/" + part).isEqualTo(bits(state)));
        });
    }

    private static long[] bits(double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
