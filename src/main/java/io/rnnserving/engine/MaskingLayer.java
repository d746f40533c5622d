package io.rnnserving.engine;

/**
 * Keras' {@code Masking}: a timestep whose features all equal {@code maskValue} is hidden from the
 * recurrent layers that follow, which carry their state over it unchanged.
 */
public record MaskingLayer(String name, double maskValue) implements Layer {

    @Override
    public String kerasClass() {
        return "Masking";
    }

    @Override
    public Tensor forward(Tensor input, ForwardContext context) {
        int samples = input.samples();
        int steps = input.steps();
        int width = input.width();
        double[] values = input.values();
        boolean[] previous = input.mask();
        boolean[] mask = new boolean[samples * steps];
        for (int position = 0; position < mask.length; position++) {
            boolean kept = false;
            int start = position * width;
            for (int feature = start; feature < start + width && !kept; feature++) {
                kept = values[feature] != maskValue;
            }
            mask[position] = kept && (previous == null || previous[position]);
        }
        // Keras' Masking also zeroes the masked timesteps it passes on
        double[] masked = values.clone();
        for (int position = 0; position < mask.length; position++) {
            if (!mask[position]) {
                java.util.Arrays.fill(masked, position * width, (position + 1) * width, 0.0);
            }
        }
        return input.withValues(masked, width).withMask(mask);
    }
}
