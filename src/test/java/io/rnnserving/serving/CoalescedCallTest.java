package io.rnnserving.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.rnnserving.engine.SameBits;
import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.InputValues;
import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests of different shapes, lengths, initial states and trace options run as one engine call: each gets
 * bit for bit what it computes alone (the reference is the engine itself, called with the request alone).
 */
class CoalescedCallTest {

    @Property(tries = 300)
    void eachRequestGetsWhatItComputesAlone(
            @ForAll @IntRange(min = 1, max = 5) int features,
            @ForAll @IntRange(min = 1, max = 40) int units1,
            @ForAll @IntRange(min = 0, max = 24) int units2,
            @ForAll boolean returnSequences, @ForAll boolean backwards,
            @ForAll @IntRange(min = 1, max = 9) int requests,
            @ForAll long seed) {
        Random random = new Random(seed);
        RecurrentModel model = RandomCalls.model(random, features, units1, units2, returnSequences, backwards);
        List<BoundRequest> calls = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            calls.add(RandomCalls.call(random, model, 8, 12));
        }

        CoalescedCall coalesced = CoalescedCall.of(calls);
        List<ForwardResult> answers = coalesced.split(RandomCalls.alone(model, coalesced.merged()));

        assertThat(answers).hasSize(requests);
        for (int i = 0; i < requests; i++) {
            SameBits.assertSameBits(answers.get(i), RandomCalls.alone(model, calls.get(i)));
        }
    }

    @Property(tries = 100)
    void aFloat32ModelsRequestsAreStackedAsFloatsAndEachGetsWhatItComputesAlone(
            @ForAll @IntRange(min = 1, max = 5) int features,
            @ForAll @IntRange(min = 1, max = 40) int units1,
            @ForAll @IntRange(min = 1, max = 9) int requests,
            @ForAll long seed) {
        Random random = new Random(seed);
        RecurrentModel model = RandomCalls.model(random, features, units1, 0, false, false)
                .withPrecision(Precision.FLOAT32);
        List<BoundRequest> calls = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            BoundRequest call = RandomCalls.call(random, model, 8, 12);
            calls.add(new BoundRequest(call.batch().in(Precision.FLOAT32), call.initialStates(), call.recordStates()));
        }

        CoalescedCall coalesced = CoalescedCall.of(calls);
        List<ForwardResult> answers = coalesced.split(RandomCalls.alone(model, coalesced.merged()));

        assertThat(coalesced.merged().batch().values()).isInstanceOf(InputValues.Floats.class);
        for (int i = 0; i < requests; i++) {
            SameBits.assertSameBits(answers.get(i), RandomCalls.alone(model, calls.get(i)));
        }
    }

    @Test
    void everyStatePartIsStackedByRowsWithZerosWhereARequestGivesNone() {
        // a layer with a cell state besides its hidden one (as an LSTM has): the parts are stacked alike
        SequenceBatch two = SequenceBatch.rectangular(new double[2 * 3], 2, 3, 1);
        SequenceBatch one = SequenceBatch.rectangular(new double[4], 1, 4, 1);
        BoundRequest first = new BoundRequest(two, Map.of("lstm", new LayerState(Map.of(
                "h", new double[] {1, 2, 3, 4}, "c", new double[] {5, 6, 7, 8}))), false);
        BoundRequest second = new BoundRequest(one, Map.of(), false);
        BoundRequest third = new BoundRequest(one, Map.of("lstm", new LayerState(Map.of(
                "c", new double[] {9, 10}))), true);

        BoundRequest merged = CoalescedCall.of(List.of(first, second, third)).merged();

        assertThat(merged.batch().samples()).isEqualTo(4);
        assertThat(merged.batch().steps()).isEqualTo(4);
        assertThat(merged.batch().lengths()).containsExactly(3, 3, 4, 4);
        assertThat(merged.recordStates()).isTrue();
        assertThat(merged.initialStates().get("lstm").parts().get("h")).containsExactly(1, 2, 3, 4, 0, 0, 0, 0);
        assertThat(merged.initialStates().get("lstm").parts().get("c")).containsExactly(5, 6, 7, 8, 0, 0, 9, 10);
    }
}
