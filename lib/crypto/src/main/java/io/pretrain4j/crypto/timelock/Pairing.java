package io.pretrain4j.crypto.timelock;

import java.math.BigInteger;

/**
 * The optimal ate pairing of BLS12-381 as arkworks, noble-curves and mcl compute it: a Miller loop
 * over {@code |x| = 0xd201000000010000} on the G2 point (lines evaluated at the G1 point), a
 * conjugation because {@code x} is negative, and the final exponentiation to {@code 3·(p¹² − 1)/r}
 * (the cube of the reduced pairing, see {@link #finalExponentiation}).
 *
 * <p>Written here because BouncyCastle's {@code BLS12_381Pairing} returns a different (still
 * bilinear) value, the reduced pairing itself rather than its cube, which would give a ciphertext
 * nobody else can open. Affine arithmetic on
 * {@link java.math.BigInteger}: clear rather than fast (a pairing takes milliseconds, a timelocked
 * commit needs one).
 */
final class Pairing {
    /** The order r of G1, G2 and GT. */
    static final BigInteger R = new BigInteger("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);
    /** |x|, the curve parameter (x = −0xd201000000010000). */
    private static final BigInteger X = new BigInteger("d201000000010000", 16);
    /**
     * Three times the hard part {@code (p⁴ − p² + 1)/r}: arkworks (whose {@code tle} the chain decrypts
     * with), noble-curves and mcl all use the final exponentiation of Hayashida, Hayasaka and Teruya
     * (ePrint 2020/875), whose addition chain yields the cube of the reduced pairing. BouncyCastle
     * computes the plain power, which is why its values differ from theirs by exactly a cube.
     */
    private static final BigInteger HARD_EXPONENT =
            Fp2.P.pow(4).subtract(Fp2.P.pow(2)).add(BigInteger.ONE).divide(R).multiply(BigInteger.valueOf(3));

    private static final BigInteger THREE = BigInteger.valueOf(3);

    private Pairing() {}

    /** A G1 point in affine coordinates over Fp. */
    record G1(BigInteger x, BigInteger y) {}

    /** A G2 point in affine coordinates over Fp2 (on the twist {@code y² = x³ + 4(1 + u)}). */
    record G2(Fp2 x, Fp2 y) {}

    /** {@code e(p, q)}, final-exponentiated. Neither point may be the point at infinity. */
    static Fp12 pair(G1 p, G2 q) {
        return finalExponentiation(millerLoop(p, q));
    }

    static Fp12 millerLoop(G1 p, G2 q) {
        Fp12 f = Fp12.ONE;
        Fp2 tx = q.x();
        Fp2 ty = q.y();
        for (int i = X.bitLength() - 2; i >= 0; i--) {
            // doubling step: tangent at T
            Fp2 slope = tx.square().multiply(THREE).multiply(ty.add(ty).inverse());
            f = f.square().multiply(line(slope, tx, ty, p));
            Fp2 nx = slope.square().subtract(tx).subtract(tx);
            ty = slope.multiply(tx.subtract(nx)).subtract(ty);
            tx = nx;
            if (X.testBit(i)) {
                // addition step: chord through T and Q
                Fp2 chord = q.y().subtract(ty).multiply(q.x().subtract(tx).inverse());
                f = f.multiply(line(chord, tx, ty, p));
                Fp2 mx = chord.square().subtract(tx).subtract(q.x());
                ty = chord.multiply(tx.subtract(mx)).subtract(ty);
                tx = mx;
            }
        }
        // x < 0: f_{x} = 1 / f_{|x|}, and after the final exponentiation the inverse is the conjugate
        return f.conjugate();
    }

    /**
     * The line of slope {@code λ} (twist coordinates) through {@code T}, evaluated at {@code P} and
     * multiplied by {@code w³} (which the final exponentiation sends to one): with the untwisting
     * {@code (x, y) ↦ (x·w⁻², y·w⁻³)} it is {@code (λ·x_T − y_T) − λ·x_P·w² + y_P·w³}.
     */
    private static Fp12 line(Fp2 slope, Fp2 tx, Fp2 ty, G1 p) {
        Fp6 c0 = new Fp6(slope.multiply(tx).subtract(ty), slope.multiply(p.x()).negate(), Fp2.ZERO);
        Fp6 c1 = new Fp6(Fp2.ZERO, Fp2.of(p.y(), BigInteger.ZERO), Fp2.ZERO);
        return new Fp12(c0, c1);
    }

    /**
     * {@code f^(3(p¹² − 1)/r)}: the easy part {@code (p⁶ − 1)(p² + 1)} by conjugation and Frobenius,
     * then the hard part as an addition chain in {@code x}: {@code 3(p⁴ − p² + 1)/r = (x − 1)²(x + p)(x² + p² − 1) + 3}
     * (after the easy part the value has norm one, so inverting is conjugating).
     */
    static Fp12 finalExponentiation(Fp12 f) {
        Fp12 t = easyPart(f);
        Fp12 a = powX(t).multiply(t.conjugate());
        a = powX(a).multiply(a.conjugate());
        Fp12 b = powX(a).multiply(a.frobenius());
        Fp12 c = powX(powX(b)).multiply(b.frobenius().frobenius()).multiply(b.conjugate());
        return c.multiply(t.square()).multiply(t);
    }

    /**
     * The same power by its definition, {@code f^((p⁶ − 1)(p² + 1)·3(p⁴ − p² + 1)/r)}: slower, the reference the chain
     * is tested against.
     */
    static Fp12 finalExponentiationByDefinition(Fp12 f) {
        return easyPart(f).pow(HARD_EXPONENT);
    }

    private static Fp12 easyPart(Fp12 f) {
        Fp12 t = f.conjugate().multiply(f.inverse());
        return t.frobenius().frobenius().multiply(t);
    }

    /** {@code t^x} for {@code t} of norm one ({@code x} negative: the power of {@code |x|}, conjugated). */
    private static Fp12 powX(Fp12 t) {
        return t.pow(X).conjugate();
    }

    /** arkworks' uncompressed GT bytes: the twelve coordinates, 48 bytes each, little-endian, in {@link Fp12#coordinates()} order. */
    static byte[] gtBytes(Fp12 value) {
        byte[] out = new byte[12 * 48];
        BigInteger[] coordinates = value.coordinates();
        for (int i = 0; i < 12; i++) {
            byte[] big = coordinates[i].toByteArray();
            for (int j = 0; j < 48 && j < big.length; j++) {
                out[i * 48 + j] = big[big.length - 1 - j];
            }
        }
        return out;
    }
}
