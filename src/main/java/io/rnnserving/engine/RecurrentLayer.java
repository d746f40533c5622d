package io.rnnserving.engine;

import java.util.List;

/**
 * A layer that carries a state from step to step: SimpleRNN, LSTM, GRU, or a Bidirectional wrapper of one.
 * Its state has named parts, each N×{@link #units()}: {@code h} for SimpleRNN and GRU, {@code h} and {@code c}
 * for LSTM, and each of those prefixed {@code forward_} and {@code backward_} for Bidirectional.
 */
public sealed interface RecurrentLayer extends Layer permits SimpleRnnLayer, LstmLayer, GruLayer, BidirectionalLayer {

    /** The width M of each state part. */
    int units();

    /** The features D this layer reads at each step. */
    int inputFeatures();

    boolean returnSequences();

    boolean goBackwards();

    /** Keras' stateful flag; reported only: every call starts from the state it is given, else zeros. */
    boolean stateful();

    /** The names of the state's parts, in Keras' order ({@code return_state} and {@code initial_state}). */
    List<String> stateParts();

    /** False for a Bidirectional layer, whose backward direction cannot continue a stream from a given state. */
    default boolean acceptsInitialState() {
        return true;
    }
}
