package io.rnnserving.engine;

/**
 * Keras' {@code Flatten} after a sequence of a fixed number of steps: each sample's T×W values become one vector.
 * The model must declare T and every sample must have exactly T steps ({@link RecurrentModel#inputProblem}).
 */
public record FlattenLayer(String name, int steps) implements Layer {

    public FlattenLayer {
        if (steps < 1) {
            throw new IllegalArgumentException(name + " (Flatten) needs a fixed number of steps, got " + steps);
        }
    }

    @Override
    public String kerasClass() {
        return "Flatten";
    }

    @Override
    public int outputWidth(int inputWidth) {
        return steps * inputWidth;
    }

    @Override
    public Tensor forward(Tensor input, ForwardContext context) {
        for (int n = 0; n < input.samples(); n++) {
            if (input.steps() != steps || input.lengths()[n] != steps) {
                throw new IllegalArgumentException(name + " (Flatten) needs every sample to have " + steps
                        + " steps; sample " + n + " has " + input.lengths()[n]);
            }
        }
        return Tensor.vectors(input.values(), input.samples(), steps * input.width());
    }
}
