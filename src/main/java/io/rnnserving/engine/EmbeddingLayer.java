package io.rnnserving.engine;

import org.jspecify.annotations.Nullable;

/**
 * Keras' {@code Embedding}: each step's integer id picks a row of the V×E table. Its input is one value per step
 * (a {@link SequenceBatch} of one feature) that must be a whole number in [0, V); with {@code mask_zero} id 0 is
 * padding that the recurrent layers after it skip, as Keras masks it.
 */
public final class EmbeddingLayer implements Layer {
    private final String name;
    private final double[] table;
    private final int vocabulary;
    private final int width;
    private final boolean maskZero;

    private EmbeddingLayer(String name, double[] table, int vocabulary, int width, boolean maskZero) {
        this.name = name;
        this.table = table;
        this.vocabulary = vocabulary;
        this.width = width;
        this.maskZero = maskZero;
    }

    /** {@code embeddings} V×E, Keras' {@code get_weights()[0]}; copied. */
    public static EmbeddingLayer of(String name, double[][] embeddings, boolean maskZero) {
        return new EmbeddingLayer(name, Matrices.of(name + ".embeddings", embeddings).data, embeddings.length,
                embeddings[0].length, maskZero);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kerasClass() {
        return "Embedding";
    }

    /** V: ids run from 0 to V − 1. */
    public int vocabularySize() {
        return vocabulary;
    }

    /** E, the width of each id's vector. */
    public int embeddingWidth() {
        return width;
    }

    public boolean maskZero() {
        return maskZero;
    }

    @Override
    public long parameterCount() {
        return table.length;
    }

    @Override
    public int outputWidth(int inputWidth) {
        return width;
    }

    /** Why {@code value} is no id of this layer's vocabulary, or null when it is one. */
    public @Nullable String idProblem(double value) {
        if (value != Math.rint(value) || Double.isInfinite(value)) {
            return value + " is not a token id: ids are whole numbers from 0 to " + (vocabulary - 1);
        }
        if (value < 0 || value >= vocabulary) {
            return "token id " + (long) value + " is outside the vocabulary of " + name + " (Embedding): ids run from "
                    + "0 to " + (vocabulary - 1);
        }
        return null;
    }

    @Override
    public Tensor forward(Tensor input, ForwardContext context) {
        int samples = input.samples();
        int steps = input.steps();
        int[] lengths = input.lengths();
        double[] ids = input.values();
        double[] out = new double[samples * steps * width];
        boolean[] mask = maskZero ? new boolean[samples * steps] : null;
        for (int n = 0; n < samples; n++) {
            for (int t = 0; t < lengths[n]; t++) {
                int position = n * steps + t;
                double id = ids[position];
                String problem = idProblem(id);
                if (problem != null) {
                    throw new IllegalArgumentException("sample " + n + ", step " + t + ": " + problem);
                }
                System.arraycopy(table, (int) id * width, out, position * width, width);
                if (mask != null) {
                    mask[position] = id != 0;
                }
            }
        }
        return Tensor.sequences(out, samples, steps, width, lengths, mask);
    }
}
