package io.rnnserving.engine;

/** Keras' {@code Activation} layer: the activation alone, position by position. */
public record ActivationLayer(String name, Activation activation) implements Layer {

    @Override
    public String kerasClass() {
        return "Activation";
    }

    @Override
    public Tensor forward(Tensor input, ForwardContext context) {
        double[] values = activation.transformRows(input.values().clone(), input.rows(), input.width());
        return input.withValues(values, activation.outputWidth(input.width()));
    }

    @Override
    public int outputWidth(int inputWidth) {
        return activation.outputWidth(inputWidth);
    }
}
