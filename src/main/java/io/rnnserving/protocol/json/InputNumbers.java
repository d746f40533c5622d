package io.rnnserving.protocol.json;

/** The numbers a model takes, however they were sent: finite and within float32 range, as Keras models take them. */
public final class InputNumbers {
    private InputNumbers() {
    }

    public static boolean allowed(double value) {
        // judged as float32 does: 3.4028235e38 (how Float.MAX_VALUE prints) rounds to it, only beyond that is infinite
        return !Double.isNaN(value) && !Float.isInfinite((float) value);
    }

    /** Why a value that is not {@link #allowed} is refused. */
    public static String refusal(double value) {
        return (Double.isNaN(value) ? "NaN" : Double.isInfinite(value) ? "an infinite number" : "a number beyond float range")
                + " is not allowed; inputs must be finite numbers within ±3.4028235e38";
    }
}
