package io.rnnserving.protocol.json;

import io.rnnserving.engine.InputValues;
import io.rnnserving.engine.Precision;
import org.jspecify.annotations.Nullable;

/**
 * A growing run of input numbers in the precision the model reads them in ({@link InputValues}: floats for a
 * float32 model), handed out without a final copy. A reader that knows how much body is left sizes it once from the
 * density of what it has read ({@link #reserveForRest}), so a large body is not copied at every doubling; it still
 * doubles when that estimate runs out.
 */
public final class NumberBuffer {
    /** The estimate's margin over the density seen so far: numbers' texts vary in length from sample to sample. */
    private static final double MARGIN = 1.0 / 16;
    /** The fewest bytes a number takes in a JSON array: a digit and a separator. */
    private static final int MIN_BYTES_PER_NUMBER = 2;

    private InputValues storage;
    private float @Nullable [] floats;
    private double @Nullable [] doubles;
    private int capacity;
    private int size;

    public NumberBuffer(Precision precision, int initialCapacity) {
        use(InputValues.zeros(precision, Math.max(16, initialCapacity)));
    }

    private void use(InputValues values) {
        storage = values;
        capacity = values.length();
        floats = values instanceof InputValues.Floats f ? f.array() : null;
        doubles = values instanceof InputValues.Doubles d ? d.array() : null;
    }

    /** Appends {@code value}, narrowed to the nearest float when the buffer holds floats. */
    public void add(double value) {
        if (size == capacity) {
            resize((int) Math.min(Integer.MAX_VALUE - 8, 2L * capacity));
        }
        if (floats != null) {
            floats[size++] = (float) value;
        } else {
            doubles[size++] = value;
        }
    }

    /**
     * Makes room for the rest of the body at the density of the numbers held so far: the numbers per byte they
     * took, times the bytes left, with a margin; never more than the bytes left could hold, nor than
     * {@code maxValues}. Does nothing when the room is there already or the bytes left are unknown.
     *
     * @param bytesTaken the bytes of the body the numbers held so far took
     * @param bytesLeft  what is left of the body, -1 when unknown
     */
    public void reserveForRest(long bytesTaken, long bytesLeft, long maxValues) {
        if (bytesLeft < 0 || bytesTaken <= 0 || size == 0) {
            return;
        }
        double perByte = (double) size / bytesTaken;
        long more = Math.min((long) Math.ceil(perByte * bytesLeft * (1 + MARGIN)), bytesLeft / MIN_BYTES_PER_NUMBER);
        long wanted = Math.min(size + more, Math.min(maxValues, Integer.MAX_VALUE - 8));
        if (wanted > capacity) {
            // a denser rest than estimated re-estimates by at least an eighth, not a copy every sample
            resize((int) Math.max(wanted, Math.min(Integer.MAX_VALUE - 8, capacity + capacity / 8L)));
        }
    }

    private void resize(int newCapacity) {
        use(storage.copyOf(newCapacity));
    }

    public int size() {
        return size;
    }

    /** The storage room, at least {@link #size()}. */
    public int capacity() {
        return capacity;
    }

    /** The storage, at least {@link #size()} long, in the buffer's precision. */
    public InputValues values() {
        return storage;
    }
}
