package io.rnnserving.engine;

import java.util.Arrays;

/**
 * The numbers of a model's input, held in the precision the model reads them in: a float32 model reads its features
 * as floats (numpy's {@code astype(float32)}: each the float nearest the correctly rounded double), so readers put
 * them straight into a {@code float[]} that the engine uses without another copy; everything else is a
 * {@code double[]}. {@link #zeros} is the one place that picks the array for a precision.
 */
public sealed interface InputValues permits InputValues.Floats, InputValues.Doubles {

    /** A new array of {@code size} zeros, floats for {@link Precision#FLOAT32}, doubles for {@link Precision#FLOAT64}. */
    static InputValues zeros(Precision precision, int size) {
        return precision == Precision.FLOAT32 ? new Floats(new float[size]) : new Doubles(new double[size]);
    }

    /** {@code values} in {@code precision}: narrowed to floats as numpy casts them, or the array itself. */
    static InputValues of(Precision precision, double[] values) {
        return new Doubles(values).in(precision);
    }

    Precision precision();

    /** The array's length, which may exceed what a batch reads (a reader's spare capacity). */
    int length();

    double get(int index);

    /** Stores {@code value} at {@code index}, narrowed to the nearest float when the array holds floats. */
    void set(int index, double value);

    /** A copy of the first {@code size} values (zeros after them), in the same precision. */
    InputValues copyOf(int size);

    /** Copies {@code count} values from {@code from} into {@code target} at {@code at}, converting when needed. */
    void copyTo(int from, InputValues target, int at, int count);

    /** These values in {@code precision}: themselves when they already are, else a converted copy. */
    default InputValues in(Precision precision) {
        if (precision() == precision) {
            return this;
        }
        InputValues converted = zeros(precision, length());
        copyTo(0, converted, 0, length());
        return converted;
    }

    /** The values as doubles: the array itself when it holds doubles, else the floats widened (exactly). */
    double[] toDoubles();

    record Floats(float[] array) implements InputValues {
        @Override
        public Precision precision() {
            return Precision.FLOAT32;
        }

        @Override
        public int length() {
            return array.length;
        }

        @Override
        public double get(int index) {
            return array[index];
        }

        @Override
        public void set(int index, double value) {
            array[index] = (float) value;
        }

        @Override
        public InputValues copyOf(int size) {
            return new Floats(Arrays.copyOf(array, size));
        }

        @Override
        public void copyTo(int from, InputValues target, int at, int count) {
            if (target instanceof Floats floats) {
                System.arraycopy(array, from, floats.array, at, count);
            } else {
                double[] doubles = ((Doubles) target).array;
                for (int i = 0; i < count; i++) {
                    doubles[at + i] = array[from + i];
                }
            }
        }

        @Override
        public double[] toDoubles() {
            double[] doubles = new double[array.length];
            copyTo(0, new Doubles(doubles), 0, array.length);
            return doubles;
        }
    }

    record Doubles(double[] array) implements InputValues {
        @Override
        public Precision precision() {
            return Precision.FLOAT64;
        }

        @Override
        public int length() {
            return array.length;
        }

        @Override
        public double get(int index) {
            return array[index];
        }

        @Override
        public void set(int index, double value) {
            array[index] = value;
        }

        @Override
        public InputValues copyOf(int size) {
            return new Doubles(Arrays.copyOf(array, size));
        }

        @Override
        public void copyTo(int from, InputValues target, int at, int count) {
            if (target instanceof Doubles doubles) {
                System.arraycopy(array, from, doubles.array, at, count);
            } else {
                float[] floats = ((Floats) target).array;
                for (int i = 0; i < count; i++) {
                    floats[at + i] = (float) array[from + i];
                }
            }
        }

        @Override
        public double[] toDoubles() {
            return array;
        }
    }
}
