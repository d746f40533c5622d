package io.rnnserving.engine;

/**
 * tanh in float32 as Eigen computes it (and so TensorFlow's CPU tanh and sigmoid, which Keras runs): the input
 * clamped to ±7.905, then an odd degree-13 over even degree-6 rational function, with fused multiply-adds; below
 * |x| = 0.0004 x itself. Within a few float ulp of tanh. Only min, max, fma, × and ÷, so the SIMD kernels compute the
 * same bits lane by lane.
 */
final class FloatTanh {
    /** Past this |x| tanh rounds to ±1 in float: the polynomial is fitted up to it. */
    static final float CLAMP = 7.90531110763549805f;
    /** Below this |x| tanh(x) is x in float. */
    static final float TINY = 0.0004f;

    static final float ALPHA_1 = 4.89352455891786e-03f;
    static final float ALPHA_3 = 6.37261928875436e-04f;
    static final float ALPHA_5 = 1.48572235717979e-05f;
    static final float ALPHA_7 = 5.12229709037114e-08f;
    static final float ALPHA_9 = -8.60467152213735e-11f;
    static final float ALPHA_11 = 2.00018790482477e-13f;
    static final float ALPHA_13 = -2.76076847742355e-16f;
    static final float BETA_0 = 4.89352518554385e-03f;
    static final float BETA_2 = 2.26843463243900e-03f;
    static final float BETA_4 = 1.18534705686654e-04f;
    static final float BETA_6 = 1.19825839466702e-06f;

    private FloatTanh() {
    }

    static float of(float a) {
        if (Math.abs(a) < TINY) {
            return a;
        }
        float x = Math.max(Math.min(a, CLAMP), -CLAMP);
        float x2 = x * x;
        float p = Math.fma(x2, ALPHA_13, ALPHA_11);
        p = Math.fma(x2, p, ALPHA_9);
        p = Math.fma(x2, p, ALPHA_7);
        p = Math.fma(x2, p, ALPHA_5);
        p = Math.fma(x2, p, ALPHA_3);
        p = Math.fma(x2, p, ALPHA_1);
        p = x * p;
        float q = Math.fma(x2, BETA_6, BETA_4);
        q = Math.fma(x2, q, BETA_2);
        q = Math.fma(x2, q, BETA_0);
        return p / q;
    }

    static void inPlace(float[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            values[i] = of(values[i]);
        }
    }
}
