package io.rnnserving.engine;

/** Keras' {@code TimeDistributed} around a {@code Dense}: the Dense at every step, the mask passed on. */
public record TimeDistributedLayer(String name, DenseLayer dense) implements Layer {

    @Override
    public String kerasClass() {
        return "TimeDistributed";
    }

    @Override
    public long parameterCount() {
        return dense.parameterCount();
    }

    @Override
    public int outputWidth(int inputWidth) {
        return dense.outputWidth(inputWidth);
    }

    @Override
    public Tensor forward(Tensor input, ForwardContext context) {
        return dense.forward(input, context);
    }
}
