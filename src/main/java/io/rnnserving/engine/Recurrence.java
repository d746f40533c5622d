package io.rnnserving.engine;

import org.jspecify.annotations.Nullable;

/** A recurrent layer that runs in one direction (SimpleRNN, LSTM, GRU): what Bidirectional runs twice. */
interface Recurrence {

    /**
     * Runs every sample through every step.
     *
     * @param initial           one N×M array per state part, in {@link RecurrentLayer#stateParts()} order, or null
     *                          for zeros
     * @param keepOutputs       return the output after every step (N×T×M, in the order the steps were taken)
     * @param keepTraces        return each state part after every step
     * @param zeroMaskedOutputs a masked step outputs zeros instead of carrying the output over (Keras'
     *                          zero_output_for_mask, which Bidirectional sets when it returns sequences)
     * @param execution         the step kernel and threads the model was created with
     */
    Run run(Tensor input, double @Nullable [][] initial, boolean keepOutputs, boolean keepTraces,
            boolean zeroMaskedOutputs, Execution execution);

    /**
     * @param outputs     N×T×M in the order the steps were taken, or null when not kept
     * @param finalStates each state part after each sample's last step, N×M
     * @param traces      each state part after every step, or null when not kept
     */
    record Run(double @Nullable [] outputs, double[][] finalStates, StateSequence @Nullable [] traces) {
    }
}
