package io.rnnserving.engine;

/** A layer that is the identity at inference, such as Dropout or SpatialDropout1D. */
public record PassThroughLayer(String name, String kerasClass) implements Layer {

    @Override
    public Tensor forward(Tensor input, ForwardContext context) {
        return input;
    }
}
