package io.rnnserving.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keras' {@code Bidirectional}: one recurrent layer reads each sequence from its first step, a copy with its own
 * weights from its last (each sample's own last valid step, as Keras with a mask), and their outputs merge. When
 * it returns sequences the backward outputs are put back in input order and masked steps output zeros (Keras sets
 * zero_output_for_mask). Its state parts are the forward layer's and the backward layer's, prefixed
 * {@code forward_} and {@code backward_}; it cannot start from a given state, since its backward direction would
 * need the stream's future.
 */
public final class BidirectionalLayer implements RecurrentLayer {

    /** Keras' merge_mode; None (a list of both outputs) is not a single chain and is refused by the readers. */
    public enum MergeMode {
        CONCAT, SUM, MUL, AVE;

        /** The mode Keras writes as {@code merge_mode}; null (None) and anything else are refused. */
        public static MergeMode fromKerasName(String name) {
            if (name == null) {
                throw new IllegalArgumentException("merge_mode None returns the two directions as separate outputs; "
                        + "supported: concat, sum, mul, ave");
            }
            for (MergeMode mode : values()) {
                if (mode.kerasName().equals(name)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("unknown merge_mode '" + name + "'; supported: concat, sum, mul, ave");
        }

        public String kerasName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String name;
    private final RecurrentLayer forward;
    private final RecurrentLayer backward;
    private final MergeMode mergeMode;
    private final List<String> parts;

    private BidirectionalLayer(String name, RecurrentLayer forward, RecurrentLayer backward, MergeMode mergeMode) {
        this.name = name;
        this.forward = forward;
        this.backward = backward;
        this.mergeMode = mergeMode;
        List<String> names = new ArrayList<>();
        forward.stateParts().forEach(p -> names.add("forward_" + p));
        backward.stateParts().forEach(p -> names.add("backward_" + p));
        this.parts = List.copyOf(names);
    }

    /**
     * Wraps two layers of one class (SimpleRnnLayer, LstmLayer or GruLayer) built from Keras' weights: Keras'
     * {@code get_weights()} lists the forward layer's arrays, then the backward layer's. The backward layer must
     * have the opposite go_backwards (Keras' backward_layer has {@code go_backwards = not layer.go_backwards}) and
     * the same return_sequences.
     */
    public static BidirectionalLayer of(String name, RecurrentLayer forward, RecurrentLayer backward,
                                        MergeMode mergeMode) {
        if (forward instanceof BidirectionalLayer || backward instanceof BidirectionalLayer) {
            throw new IllegalArgumentException(name + " (Bidirectional) wraps SimpleRNN, LSTM or GRU, not another "
                    + "Bidirectional");
        }
        if (!forward.kerasClass().equals(backward.kerasClass())) {
            throw new IllegalArgumentException(name + " (Bidirectional): the forward layer is a " + forward.kerasClass()
                    + " but the backward layer a " + backward.kerasClass());
        }
        if (forward.goBackwards() == backward.goBackwards()) {
            throw new IllegalArgumentException(name + " (Bidirectional): the forward and backward layers both have "
                    + "go_backwards=" + (forward.goBackwards() ? "True" : "False") + "; they must differ");
        }
        if (forward.returnSequences() != backward.returnSequences()) {
            throw new IllegalArgumentException(name + " (Bidirectional): the forward and backward layers differ in "
                    + "return_sequences");
        }
        if (forward.inputFeatures() != backward.inputFeatures() || forward.units() != backward.units()) {
            throw new IllegalArgumentException(name + " (Bidirectional): the forward layer is " + forward.inputFeatures()
                    + "→" + forward.units() + " units but the backward layer " + backward.inputFeatures() + "→"
                    + backward.units());
        }
        return new BidirectionalLayer(name, forward, backward, mergeMode);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kerasClass() {
        return "Bidirectional";
    }

    public RecurrentLayer forwardLayer() {
        return forward;
    }

    public RecurrentLayer backwardLayer() {
        return backward;
    }

    public MergeMode mergeMode() {
        return mergeMode;
    }

    @Override
    public int units() {
        return forward.units();
    }

    @Override
    public int inputFeatures() {
        return forward.inputFeatures();
    }

    @Override
    public boolean returnSequences() {
        return forward.returnSequences();
    }

    /** The forward layer's go_backwards (normally false). */
    @Override
    public boolean goBackwards() {
        return forward.goBackwards();
    }

    @Override
    public boolean stateful() {
        return forward.stateful();
    }

    @Override
    public List<String> stateParts() {
        return parts;
    }

    @Override
    public boolean acceptsInitialState() {
        return false;
    }

    @Override
    public long parameterCount() {
        return forward.parameterCount() + backward.parameterCount();
    }

    @Override
    public int outputWidth(int inputWidth) {
        return mergeMode == MergeMode.CONCAT ? 2 * units() : units();
    }

    @Override
    public Tensor forward(Tensor input, ForwardContext context) {
        if (context.initialStates(name, parts) != null) {
            throw new IllegalArgumentException(initialStateRefusal());
        }
        boolean sequences = returnSequences();
        Recurrence.Run ahead = ((Recurrence) forward).run(input, null, sequences, context.recordStates(), sequences,
                context.execution());
        Recurrence.Run behind = ((Recurrence) backward).run(input, null, sequences, context.recordStates(), sequences,
                context.execution());
        int forwardParts = forward.stateParts().size();
        double[][] finals = new double[parts.size()][];
        StateSequence[] traces = context.recordStates() ? new StateSequence[parts.size()] : null;
        for (int i = 0; i < parts.size(); i++) {
            Recurrence.Run run = i < forwardParts ? ahead : behind;
            int part = i < forwardParts ? i : i - forwardParts;
            finals[i] = run.finalStates()[part];
            if (traces != null) {
                traces[i] = run.traces()[part];
            }
        }
        context.record(name, parts, traces, finals);

        int samples = input.samples();
        int units = units();
        int width = outputWidth(input.width());
        if (!sequences) {
            double[] merged = new double[samples * width];
            for (int n = 0; n < samples; n++) {
                merge(ahead.finalStates()[0], n * units, behind.finalStates()[0], n * units, merged, n * width, units);
            }
            return Tensor.vectors(merged, samples, width);
        }
        int steps = input.steps();
        int[] lengths = input.lengths();
        double[] merged = new double[samples * steps * width];
        for (int n = 0; n < samples; n++) {
            for (int t = 0; t < lengths[n]; t++) {
                // the backward layer took step t of the input as its step (length − 1 − t)
                merge(ahead.outputs(), (n * steps + t) * units, behind.outputs(),
                        (n * steps + lengths[n] - 1 - t) * units, merged, (n * steps + t) * width, units);
            }
        }
        return Tensor.sequences(merged, samples, steps, width, lengths, input.mask());
    }

    /** Why this layer refuses an initial state: one sentence a protocol can show as it is. */
    public String initialStateRefusal() {
        return name + " (Bidirectional) cannot start from a given state: its backward direction reads each sequence "
                + "from its last step, so it cannot continue a stream chunk by chunk; send whole sequences instead";
    }

    private void merge(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int units) {
        for (int j = 0; j < units; j++) {
            double x = a[aOff + j];
            double y = b[bOff + j];
            switch (mergeMode) {
                case CONCAT -> {
                    out[outOff + j] = x;
                    out[outOff + units + j] = y;
                }
                case SUM -> out[outOff + j] = x + y;
                case MUL -> out[outOff + j] = x * y;
                case AVE -> out[outOff + j] = (x + y) / 2.0;
            }
        }
    }
}
