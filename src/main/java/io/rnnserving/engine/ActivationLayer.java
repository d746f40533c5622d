package io.rnnserving.engine;

/** Keras' {@code Activation} layer: the activation alone, position by position. */
public record ActivationLayer(String name, Activation activation) implements Layer {

    @Override
    public String kerasClass() {
        return "Activation";
    }

    @Override
    public Tensor forward(Tensor input, ForwardContext context) {
        double[] values = input.values().clone();
        activation.applyToRows(values, input.rows(), input.width());
        return input.withValues(values, input.width());
    }
}
