package io.rnnserving.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.RecurrentModel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

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
            RandomCalls.assertSameBits(answers.get(i), RandomCalls.alone(model, calls.get(i)));
        }
    }
}
