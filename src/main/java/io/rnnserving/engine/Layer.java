package io.rnnserving.engine;

/**
 * One Keras layer of a served model. Implementations are immutable and safe to share between threads:
 * everything a call needs beyond the weights lives in that call's own arrays.
 */
public sealed interface Layer permits RecurrentLayer, DenseLayer, MaskingLayer, ActivationLayer, PassThroughLayer,
        EmbeddingLayer, TimeDistributedLayer, GlobalPoolingLayer, FlattenLayer, BatchNormalizationLayer,
        LayerNormalizationLayer {

    /** The layer's Keras name, e.g. {@code simple_rnn_1}. */
    String name();

    /** The layer's Keras class name, e.g. {@code SimpleRNN}. */
    String kerasClass();

    /** Trainable and non-trainable parameters, as {@code model.summary()} counts them; none unless it has weights. */
    default long parameterCount() {
        return 0;
    }

    /** Width of this layer's output for an input of {@code inputWidth} features; the same unless it projects. */
    default int outputWidth(int inputWidth) {
        return inputWidth;
    }

    Tensor forward(Tensor input, ForwardContext context);
}
