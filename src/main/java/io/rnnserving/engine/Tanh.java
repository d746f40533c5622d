package io.rnnserving.engine;

/**
 * tanh within a few ulp of {@link Math#tanh}, about four times faster on JDK 17, where Math.tanh is a native
 * fdlibm call and Math.exp a compiler intrinsic. Cephes' method: a rational approximation near zero (relative
 * error about 2e-16), {@code 1 - 2/(e^{2|x|} + 1)} beyond.
 */
final class Tanh {
    private static final double P0 = -9.64399179425052238628E-1;
    private static final double P1 = -9.92877231001918586564E1;
    private static final double P2 = -1.61468768441708447952E3;
    private static final double Q0 = 1.12811678491632931402E2;
    private static final double Q1 = 2.23548839060100448583E3;
    private static final double Q2 = 4.84406305325125486048E3;

    private Tanh() {
    }

    static double of(double x) {
        double z = Math.abs(x);
        if (z > 0.625) {
            // exp overflows to infinity past |x| ≈ 355, which still gives ±1
            return Math.copySign(1.0 - 2.0 / (Math.exp(2.0 * z) + 1.0), x);
        }
        if (x == 0.0) {
            return x; // keeps -0.0
        }
        double s = x * x;
        double p = (P0 * s + P1) * s + P2;
        double q = ((s + Q0) * s + Q1) * s + Q2;
        return x + x * s * (p / q);
    }

    static void inPlace(double[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            values[i] = of(values[i]);
        }
    }
}
