package io.pretrain4j.crypto.timelock;

import java.math.BigInteger;

/**
 * An element {@code c0 + c1·w} of BLS12-381's degree-12 extension over {@link Fp6}, {@code w² = v}:
 * the tower arkworks, noble-curves and mcl use, in which pairing values live. Immutable.
 */
record Fp12(Fp6 c0, Fp6 c1) {
    static final Fp12 ONE = new Fp12(Fp6.ONE, Fp6.ZERO);

    /** {@code γ_k = ξ^(k(p−1)/6)}: the Frobenius map sends the coefficient of {@code w^k} to {@code conj(c)·γ_k}. */
    private static final Fp2[] FROBENIUS = frobeniusCoefficients();

    Fp12 multiply(Fp12 o) {
        Fp6 aa = c0.multiply(o.c0);
        Fp6 bb = c1.multiply(o.c1);
        Fp6 cross = c0.add(c1).multiply(o.c0.add(o.c1)).subtract(aa).subtract(bb);
        return new Fp12(aa.add(bb.multiplyByV()), cross);
    }

    Fp12 square() {
        return multiply(this);
    }

    /** {@code c0 − c1·w}: the map {@code x ↦ x^(p⁶)}, and the inverse of an element of norm one. */
    Fp12 conjugate() {
        return new Fp12(c0, c1.negate());
    }

    Fp12 inverse() {
        Fp6 norm = c0.multiply(c0).subtract(c1.multiply(c1).multiplyByV());
        Fp6 inv = norm.inverse();
        return new Fp12(c0.multiply(inv), c1.negate().multiply(inv));
    }

    /** The Frobenius map {@code x ↦ x^p}. */
    Fp12 frobenius() {
        // c0 = a0 + a1 v + a2 v² holds the w^0, w^2, w^4 coefficients; c1 those of w^1, w^3, w^5
        return new Fp12(
                new Fp6(
                        c0.c0().conjugate(),
                        c0.c1().conjugate().multiply(FROBENIUS[2]),
                        c0.c2().conjugate().multiply(FROBENIUS[4])),
                new Fp6(
                        c1.c0().conjugate().multiply(FROBENIUS[1]),
                        c1.c1().conjugate().multiply(FROBENIUS[3]),
                        c1.c2().conjugate().multiply(FROBENIUS[5])));
    }

    Fp12 pow(BigInteger exponent) {
        Fp12 result = ONE;
        for (int i = exponent.bitLength() - 1; i >= 0; i--) {
            result = result.square();
            if (exponent.testBit(i)) {
                result = result.multiply(this);
            }
        }
        return result;
    }

    /** The twelve base-field coordinates in arkworks' order: c0.c0.a, c0.c0.b, c0.c1.a, ..., c1.c2.b. */
    BigInteger[] coordinates() {
        Fp2[] parts = {c0.c0(), c0.c1(), c0.c2(), c1.c0(), c1.c1(), c1.c2()};
        BigInteger[] out = new BigInteger[12];
        for (int i = 0; i < 6; i++) {
            out[2 * i] = parts[i].a();
            out[2 * i + 1] = parts[i].b();
        }
        return out;
    }

    private static Fp2[] frobeniusCoefficients() {
        Fp2 gamma = new Fp2(BigInteger.ONE, BigInteger.ONE)
                .pow(Fp2.P.subtract(BigInteger.ONE).divide(BigInteger.valueOf(6)));
        Fp2[] out = new Fp2[6];
        out[0] = Fp2.ONE;
        for (int k = 1; k < 6; k++) {
            out[k] = out[k - 1].multiply(gamma);
        }
        return out;
    }
}
