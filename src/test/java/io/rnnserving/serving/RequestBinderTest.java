package io.rnnserving.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;

import io.rnnserving.engine.Activation;
import io.rnnserving.engine.BidirectionalLayer;
import io.rnnserving.engine.DenseLayer;
import io.rnnserving.engine.EmbeddingLayer;
import io.rnnserving.engine.InputValues;
import io.rnnserving.engine.LstmLayer;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SimpleRnnLayer;
import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;
import io.rnnserving.serving.ModelInput.Ragged;
import io.rnnserving.serving.ModelInput.StateInput;
import io.rnnserving.serving.ModelInput.Tensor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** One test per rule of model input, each with the pointer it must carry into the caller's body. */
class RequestBinderTest {
    /** D = 2; rnn_1 has 3 units, rnn_2 has 2. */
    private static final RecurrentModel STACKED = RecurrentModel.of("stacked", null, 2, List.of(
            SimpleRnnLayer.of("rnn_1", new double[][] {{0.5, -0.2, 0.1}, {0.3, 0.8, -0.6}},
                    new double[][] {{0.1, 0.2, 0.0}, {-0.3, 0.1, 0.4}, {0.2, -0.1, 0.3}}, null,
                    Activation.TANH, true, false, false),
            SimpleRnnLayer.of("rnn_2", new double[][] {{0.4, -0.5}, {0.7, 0.2}, {-0.3, 0.6}},
                    new double[][] {{0.2, -0.4}, {0.5, 0.1}}, null, Activation.TANH, false, false, false),
            DenseLayer.of("dense", new double[][] {{1.5}, {-0.5}}, null, Activation.LINEAR)));
    private static final RecurrentModel SINGLE = RecurrentModel.of("single", null, 2, List.of(
            SimpleRnnLayer.of("rnn", new double[][] {{0.5, -0.2}, {0.3, 0.8}}, new double[][] {{0.1, 0.2}, {-0.3, 0.1}},
                    null, Activation.TANH, false, false, false)));
    /** Token ids of a vocabulary of 3 into an LSTM of 2 units: its state has the parts h and c. */
    private static final RecurrentModel TEXT_LSTM = RecurrentModel.of("text", null, 1, List.of(
            EmbeddingLayer.of("embedding", new double[][] {{0.1, 0.2}, {0.3, -0.4}, {-0.5, 0.6}}, false),
            LstmLayer.of("lstm", new double[2][8], new double[2][8], new double[8], Activation.TANH,
                    Activation.SIGMOID, false, false, false)));
    private static final RecurrentModel BIDIRECTIONAL = RecurrentModel.of("bidirectional", null, 2, List.of(
            BidirectionalLayer.of("bidirectional",
                    SimpleRnnLayer.of("forward", new double[2][2], new double[2][2], null, Activation.TANH, false, false,
                            false),
                    SimpleRnnLayer.of("backward", new double[2][2], new double[2][2], null, Activation.TANH, false, true,
                            false),
                    BidirectionalLayer.MergeMode.CONCAT)));
    /** Two samples of three token ids. */
    private static final Tensor IDS = new Tensor(new InputValues.Doubles(new double[] {0, 1, 2, 2, 1, 0}), new int[] {2, 3});
    private static final WirePointers AT = WirePointers.nested("/x", "/lengths");
    /** Two samples of three steps, D = 2. */
    private static final Tensor X = new Tensor(new InputValues.Doubles(new double[12]), new int[] {2, 3, 2});

    private static InvalidRequestException refusal(RecurrentModel model, RequestLimits limits, ModelInput input) {
        Throwable thrown = catchThrowable(
                () -> new RequestBinder(model, limits).bind(input, AT));
        assertThat(thrown).isInstanceOf(InvalidRequestException.class);
        return (InvalidRequestException) thrown;
    }

    private static InvalidRequestException refusal(ModelInput input) {
        return refusal(STACKED, RequestLimits.DEFAULTS, input);
    }

    private static ModelInput input(ModelInput.Sequences x, int @Nullable [] lengths, StateInput... states) {
        return new ModelInput(x, lengths, List.of(states), false);
    }

    private static StateInput state(@Nullable String layer, int rows, int columns, String pointer) {
        return new StateInput(layer, null, new double[rows * columns], new int[] {rows, columns}, pointer, "/h0");
    }

    @Test
    void aStepOfAnotherFeatureCountIsRefusedAtThatStep() {
        assertThatThrownBy(() -> new RequestBinder(STACKED, RequestLimits.DEFAULTS).checkFeatures(3, 1, 4, AT))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProblemKind.WRONG_SHAPE);
                    assertThat(e.pointer()).isEqualTo("/x/1/4");
                    assertThat(e.detail()).isEqualTo("timestep 4 of sample 1 has 3 features; the model takes 2");
                });
    }

    @Test
    void aTensorThatIsNotNByTByDIsRefusedAtX() {
        InvalidRequestException e = refusal(input(new Tensor(new InputValues.Doubles(new double[12]), new int[] {2, 2, 3}), null));

        assertThat(e.kind()).isEqualTo(ProblemKind.WRONG_SHAPE);
        assertThat(e.pointer()).isEqualTo("/x");
        assertThat(e.detail()).startsWith("x has shape [2, 2, 3]; the model takes [N, T, 2]");
        assertThat(refusal(input(new Tensor(new InputValues.Doubles(new double[6]), new int[] {3, 2}), null)).pointer()).isEqualTo("/x");
    }

    @Test
    void anEmptyBatchIsRefused() {
        InvalidRequestException e = refusal(input(new Ragged(new InputValues.Doubles(new double[0]), new int[0], 2), null));

        assertThat(e.pointer()).isEqualTo("/x");
        assertThat(e.detail()).isEqualTo("the batch is empty: x needs at least one sample");
    }

    @Test
    void aSampleWithoutStepsIsRefusedAtThatSample() {
        InvalidRequestException e = refusal(input(new Ragged(new InputValues.Doubles(new double[4]), new int[] {2, 0}, 2), null));

        assertThat(e.kind()).isEqualTo(ProblemKind.WRONG_SHAPE);
        assertThat(e.pointer()).isEqualTo("/x/1");
        assertThat(e.detail()).isEqualTo("sample 1 has no timesteps");
    }

    @Test
    void aBatchBeyondEachLimitIsRefusedWithTheCallersPointer() {
        RequestLimits limits = new RequestLimits(1 << 20, 1, 2, 3, 32);
        WirePointers kserve = WirePointers.nested("/inputs/0/shape", "/inputs/1");

        assertThatThrownBy(() -> new RequestBinder(STACKED, limits).bind(input(X, null), kserve))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProblemKind.BATCH_TOO_LARGE);
                    assertThat(e.pointer()).isEqualTo("/inputs/0/shape");
                    assertThat(e.detail()).isEqualTo("the batch has 2 samples; the limit is 1");
                });
        Tensor oneLong = new Tensor(new InputValues.Doubles(new double[6]), new int[] {1, 3, 2});
        assertThat(refusal(STACKED, limits, input(oneLong, null)).detail())
                .isEqualTo("a sequence has 3 steps; the limit is 2");
        Tensor oneOfTwoSteps = new Tensor(new InputValues.Doubles(new double[4]), new int[] {1, 2, 2});
        assertThat(refusal(STACKED, limits, input(oneOfTwoSteps, null)).detail())
                .isEqualTo("the batch has 4 numbers; the limit is 3");
    }

    @Test
    void lengthsMustBeOnePerSample() {
        InvalidRequestException e = refusal(input(X, new int[] {3, 3, 3}));

        assertThat(e.kind()).isEqualTo(ProblemKind.WRONG_SHAPE);
        assertThat(e.pointer()).isEqualTo("/lengths");
        assertThat(e.detail()).isEqualTo("lengths has 3 entries but x has 2 samples");
    }

    @Test
    void aLengthMustBeFromOneToItsSamplesSteps() {
        InvalidRequestException tooLong = refusal(input(new Ragged(new InputValues.Doubles(new double[10]), new int[] {3, 2}, 2), new int[] {3, 3}));
        InvalidRequestException zero = refusal(input(X, new int[] {0, 3}));

        assertThat(tooLong.kind()).isEqualTo(ProblemKind.WRONG_SHAPE);
        assertThat(tooLong.pointer()).isEqualTo("/lengths/1");
        assertThat(tooLong.detail()).isEqualTo("sample 1 has length 3; it must be 1 to 2, its timesteps in x");
        assertThat(zero.pointer()).isEqualTo("/lengths/0");
    }

    @Test
    void anInitialStateMustBeSamplesByUnitsOfItsLayer() {
        InvalidRequestException e = refusal(input(X, null, state("rnn_1", 2, 2, "/h0/rnn_1")));

        assertThat(e.kind()).isEqualTo(ProblemKind.WRONG_SHAPE);
        assertThat(e.pointer()).isEqualTo("/h0/rnn_1");
        assertThat(e.detail()).isEqualTo("the initial state of rnn_1 is 2×2 but must be 2×3 (samples × units)");
        assertThat(refusal(input(X, null, state("rnn_2", 1, 2, "/h0/rnn_2"))).detail())
                .isEqualTo("the initial state of rnn_2 is 1×2 but must be 2×2 (samples × units)");
    }

    @Test
    void anInitialStateMustNameARecurrentLayerOfTheModel() {
        InvalidRequestException e = refusal(input(X, null, state("dense", 2, 1, "/h0/dense")));

        assertThat(e.pointer()).isEqualTo("/h0/dense");
        assertThat(e.detail()).isEqualTo("the model has no recurrent layer 'dense'; its recurrent layers are [rnn_1, rnn_2]");
    }

    @Test
    void anUnnamedInitialStateNeedsAModelWithOneRecurrentLayer() {
        InvalidRequestException e = refusal(input(X, null, state(null, 2, 3, "/h0")));

        assertThat(e.pointer()).isEqualTo("/h0");
        assertThat(e.detail()).isEqualTo("the model has 2 recurrent layers; give each initial state by layer name: "
                + "[rnn_1, rnn_2]");
        BoundRequest bound = new RequestBinder(SINGLE, RequestLimits.DEFAULTS)
                .bind(input(X, null, state(null, 2, 2, "/h0")), AT);
        assertThat(bound.initialStates()).containsOnlyKeys("rnn");
    }

    @Test
    void anInitialStateMustBeAPartTheLayerHas() {
        StateInput cell = new StateInput("rnn_1", "c", new double[6], new int[] {2, 3}, "/h0/rnn_1/c",
                "/h0/rnn_1");

        InvalidRequestException e = refusal(input(X, null, cell));

        assertThat(e.pointer()).isEqualTo("/h0/rnn_1/c");
        assertThat(e.detail()).isEqualTo("the state of rnn_1 (SimpleRNN) has no part 'c'; its parts are [h]");
    }

    @Test
    void aValidRaggedInputIsPaddedAndItsStatesBoundByLayerAndPart() {
        double[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] h1 = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
        ModelInput ragged = new ModelInput(new Ragged(new InputValues.Doubles(values), new int[] {3, 2}, 2), new int[] {2, 2},
                List.of(new StateInput("rnn_1", LayerState.HIDDEN, h1, new int[] {2, 3}, "/h0/rnn_1/h", "/h0/rnn_1")),
                true);

        BoundRequest bound = new RequestBinder(STACKED, RequestLimits.DEFAULTS).bind(ragged, AT);

        assertThat(bound.batch().samples()).isEqualTo(2);
        assertThat(bound.batch().steps()).isEqualTo(3);
        assertThat(bound.batch().lengths()).containsExactly(2, 2);
        // sample 1 starts at step 3 of the padded N×T×D run: (1 × 3 + 0) × 2
        assertThat(java.util.Arrays.copyOfRange(bound.batch().values().toDoubles(), 6, 10)).containsExactly(7, 8, 9, 10);
        assertThat(bound.initialStates()).containsOnlyKeys("rnn_1");
        assertThat(bound.initialStates().get("rnn_1").parts()).containsOnlyKeys(LayerState.HIDDEN);
        assertThat(bound.statePartsByLayer().get("rnn_1").get("h")).containsExactly(h1);
        assertThat(bound.recordStates()).isTrue();
    }

    private static StateInput part(@Nullable String layer, @Nullable String part, String pointer, String parent) {
        return new StateInput(layer, part, new double[4], new int[] {2, 2}, pointer, parent);
    }

    @Test
    void anLstmsStateIsItsPartsHAndCByNameWithOrWithoutTheLayersName() {
        RequestBinder binder = new RequestBinder(TEXT_LSTM, RequestLimits.DEFAULTS);

        BoundRequest bare = binder.bind(input(IDS, null, part("h", null, "/h0/h", "/h0"), part("c", null, "/h0/c", "/h0")),
                AT);
        BoundRequest named = binder.bind(input(IDS, null, part("lstm", "h", "/h0/lstm/h", "/h0/lstm"),
                part("lstm", "c", "/h0/lstm/c", "/h0/lstm")), AT);

        assertThat(bare.statePartsByLayer().get("lstm")).containsOnlyKeys("h", "c");
        assertThat(named.statePartsByLayer().get("lstm")).containsOnlyKeys("h", "c");
    }

    @Test
    void anLstmStateWithoutItsPartsOrWithOneMissingIsRefusedAtTheState() {
        InvalidRequestException bare = refusal(TEXT_LSTM, RequestLimits.DEFAULTS,
                input(IDS, null, part(null, null, "/h0", "/h0")));
        InvalidRequestException halfOfIt = refusal(TEXT_LSTM, RequestLimits.DEFAULTS,
                input(IDS, null, part("lstm", "h", "/h0/lstm/h", "/h0/lstm")));

        assertThat(bare.pointer()).isEqualTo("/h0");
        assertThat(bare.detail()).isEqualTo("the state of lstm (LSTM) has 2 parts, [h, c], each N×2: give each of them "
                + "by name");
        assertThat(halfOfIt.pointer()).isEqualTo("/h0/lstm");
        assertThat(halfOfIt.detail()).isEqualTo("the initial state of lstm (LSTM) has the parts [h, c]; got [h]");
    }

    @Test
    void aBidirectionalLayerRefusesAnInitialStateWithItsReasonAtTheLayersState() {
        InvalidRequestException e = refusal(BIDIRECTIONAL, RequestLimits.DEFAULTS,
                input(X, null, part("bidirectional", "forward_h", "/h0/bidirectional/forward_h", "/h0/bidirectional")));

        assertThat(e.pointer()).isEqualTo("/h0/bidirectional");
        assertThat(e.detail()).startsWith("bidirectional (Bidirectional) cannot start from a given state: its backward "
                + "direction reads each sequence from its last step");
    }

    @Test
    void aValueThatIsNoTokenIdIsAnInvalidNumberAtItsStep() {
        InvalidRequestException outside = refusal(TEXT_LSTM, RequestLimits.DEFAULTS,
                input(new Tensor(new InputValues.Doubles(new double[] {0, 1, 2, 2, 3, 0}), new int[] {2, 3}), null));
        InvalidRequestException fraction = refusal(TEXT_LSTM, RequestLimits.DEFAULTS,
                input(new Ragged(new InputValues.Doubles(new double[] {0, 1.5, 2}), new int[] {1, 2}, 1), null));

        assertThat(outside.kind()).isEqualTo(ProblemKind.INVALID_NUMBER);
        assertThat(outside.pointer()).isEqualTo("/x/1/1");
        assertThat(outside.detail()).isEqualTo("token id 3 is outside the vocabulary of embedding (Embedding): ids run "
                + "from 0 to 2");
        assertThat(fraction.pointer()).isEqualTo("/x/1/0");
        assertThat(fraction.detail()).isEqualTo("1.5 is not a token id: ids are whole numbers from 0 to 2");
    }
}
