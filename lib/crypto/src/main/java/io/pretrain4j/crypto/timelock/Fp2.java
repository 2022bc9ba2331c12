package io.pretrain4j.crypto.timelock;

import java.math.BigInteger;

/**
 * An element {@code a + b·u} of BLS12-381's quadratic extension, {@code u² = −1}, with coordinates
 * reduced modulo the base field prime. Immutable.
 */
record Fp2(BigInteger a, BigInteger b) {
    /** The base field's prime. */
    static final BigInteger P = new BigInteger(
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab", 16);

    static final Fp2 ZERO = new Fp2(BigInteger.ZERO, BigInteger.ZERO);
    static final Fp2 ONE = new Fp2(BigInteger.ONE, BigInteger.ZERO);

    static Fp2 of(BigInteger a, BigInteger b) {
        return new Fp2(a.mod(P), b.mod(P));
    }

    Fp2 add(Fp2 o) {
        return of(a.add(o.a), b.add(o.b));
    }

    Fp2 subtract(Fp2 o) {
        return of(a.subtract(o.a), b.subtract(o.b));
    }

    Fp2 negate() {
        return of(a.negate(), b.negate());
    }

    Fp2 multiply(Fp2 o) {
        // Karatsuba: (a0 + a1 u)(b0 + b1 u) = a0b0 − a1b1 + ((a0 + a1)(b0 + b1) − a0b0 − a1b1) u
        BigInteger aa = a.multiply(o.a);
        BigInteger bb = b.multiply(o.b);
        BigInteger cross = a.add(b).multiply(o.a.add(o.b)).subtract(aa).subtract(bb);
        return of(aa.subtract(bb), cross);
    }

    Fp2 multiply(BigInteger scalar) {
        return of(a.multiply(scalar), b.multiply(scalar));
    }

    Fp2 square() {
        // (a + b u)² = (a + b)(a − b) + 2ab u
        return of(a.add(b).multiply(a.subtract(b)), a.multiply(b).shiftLeft(1));
    }

    /** Multiplication by the sextic non-residue {@code ξ = 1 + u} that defines the tower above. */
    Fp2 multiplyByXi() {
        return of(a.subtract(b), a.add(b));
    }

    /** The Frobenius map {@code x ↦ x^p}: complex conjugation. */
    Fp2 conjugate() {
        return of(a, b.negate());
    }

    Fp2 inverse() {
        BigInteger norm = a.multiply(a).add(b.multiply(b)).mod(P);
        if (norm.signum() == 0) {
            throw new ArithmeticException("zero has no inverse in Fp2");
        }
        BigInteger inv = norm.modInverse(P);
        return of(a.multiply(inv), b.negate().multiply(inv));
    }

    Fp2 pow(BigInteger exponent) {
        Fp2 result = ONE;
        for (int i = exponent.bitLength() - 1; i >= 0; i--) {
            result = result.square();
            if (exponent.testBit(i)) {
                result = result.multiply(this);
            }
        }
        return result;
    }

    boolean isZero() {
        return a.signum() == 0 && b.signum() == 0;
    }
}
