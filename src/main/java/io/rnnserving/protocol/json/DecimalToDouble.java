package io.rnnserving.protocol.json;

import java.math.BigInteger;

/**
 * The Eisel-Lemire algorithm (Lemire, "Number parsing at a gigabyte per second", 2021; as Go's strconv writes it):
 * the double nearest {@code significand × 10^exponent}, correctly rounded, from one or two 64×64-bit products, or
 * NaN for the rare inputs it cannot settle, which the caller then parses in full.
 */
final class DecimalToDouble {
    private static final int MIN_EXPONENT = -348;
    private static final int MAX_EXPONENT = 347;
    /** 10^e as a 128-bit mantissa rounded down, its top bit set: high word, then low word, for e from -348 to 347. */
    private static final long[] POWERS_OF_TEN = powersOfTen();

    private DecimalToDouble() {
    }

    private static long[] powersOfTen() {
        long[] table = new long[2 * (MAX_EXPONENT - MIN_EXPONENT + 1)];
        BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        for (int e = MIN_EXPONENT; e <= MAX_EXPONENT; e++) {
            BigInteger mantissa;
            if (e >= 0) {
                BigInteger power = BigInteger.TEN.pow(e);
                int excess = power.bitLength() - 128;
                mantissa = excess > 0 ? power.shiftRight(excess) : power.shiftLeft(-excess);
            } else {
                BigInteger power = BigInteger.TEN.pow(-e);
                mantissa = BigInteger.ONE.shiftLeft(power.bitLength() + 127).divide(power);
            }
            int at = 2 * (e - MIN_EXPONENT);
            table[at] = mantissa.shiftRight(64).longValue();
            table[at + 1] = mantissa.and(mask).longValue();
        }
        return table;
    }

    /** The double nearest ±significand × 10^exponent, or NaN when this algorithm cannot tell it. */
    static double eiselLemire(long significand, int exponent, boolean negative) {
        if (significand == 0) {
            return negative ? -0.0 : 0.0;
        }
        if (exponent < MIN_EXPONENT || exponent > MAX_EXPONENT) {
            return Double.NaN;
        }
        int leadingZeros = Long.numberOfLeadingZeros(significand);
        long man = significand << leadingZeros;
        long exp2 = ((217706L * exponent) >> 16) + 64 + 1023 - leadingZeros;
        int at = 2 * (exponent - MIN_EXPONENT);
        long powerHigh = POWERS_OF_TEN[at];
        long xHi = unsignedMultiplyHigh(man, powerHigh);
        long xLo = man * powerHigh;
        // the 64 bits of the first product may not say where the result rounds: add the second word's product
        if ((xHi & 0x1FF) == 0x1FF && Long.compareUnsigned(xLo + man, man) < 0) {
            long powerLow = POWERS_OF_TEN[at + 1];
            long yHi = unsignedMultiplyHigh(man, powerLow);
            long yLo = man * powerLow;
            long mergedHi = xHi;
            long mergedLo = xLo + yHi;
            if (Long.compareUnsigned(mergedLo, xLo) < 0) {
                mergedHi++;
            }
            if ((mergedHi & 0x1FF) == 0x1FF && mergedLo + 1 == 0 && Long.compareUnsigned(yLo + man, man) < 0) {
                return Double.NaN;
            }
            xHi = mergedHi;
            xLo = mergedLo;
        }
        long msb = xHi >>> 63;
        long mantissa = xHi >>> (msb + 9);
        exp2 -= 1 ^ msb;
        // exactly halfway between two doubles, as far as these bits say
        if (xLo == 0 && (xHi & 0x1FF) == 0 && (mantissa & 3) == 1) {
            return Double.NaN;
        }
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if (mantissa >>> 53 > 0) {
            mantissa >>>= 1;
            exp2++;
        }
        // subnormal, zero or infinite: left to the full parse
        if (Long.compareUnsigned(exp2 - 1, 0x7FF - 1) >= 0) {
            return Double.NaN;
        }
        long bits = exp2 << 52 | mantissa & 0x000F_FFFF_FFFF_FFFFL;
        return Double.longBitsToDouble(negative ? bits | Long.MIN_VALUE : bits);
    }

    private static long unsignedMultiplyHigh(long x, long y) {
        return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
    }
}
