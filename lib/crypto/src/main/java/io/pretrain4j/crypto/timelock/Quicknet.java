package io.pretrain4j.crypto.timelock;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.bouncycastle.crypto.bls.BLS12_381G1;
import org.bouncycastle.crypto.bls.BLS12_381G2;
import org.bouncycastle.crypto.bls.BLS12_381G2Point;
import org.bouncycastle.crypto.bls.BLS12_381Serialization;
import org.bouncycastle.crypto.hash2curve.HashToCurveProfile;
import org.bouncycastle.crypto.hash2curve.HashToEllipticCurve;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * drand's quicknet beacon ({@code bls-unchained-g1-rfc9380}), the one subtensor's Drand pallet
 * follows: signatures on G1, the group key on G2, a round every 3 s since 2023-08-23 (COMMIT_REVEAL.md
 * 3.4). Rounds are hashed to G1 with RFC 9380 (BouncyCastle); signatures are checked with our pairing.
 */
public final class Quicknet {
    /** The beacon's chain hash. */
    public static final String CHAIN_HASH = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971";
    /** The group public key (compressed G2). */
    public static final String PUBLIC_KEY =
            "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c"
                    + "921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a";
    /** Round 1's time (Unix seconds) and the period between rounds (s). */
    public static final long GENESIS = 1_692_803_367L;

    public static final long PERIOD = 3;
    /** The domain separation tag of the beacon's signatures. */
    static final String DST = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";

    static final ECCurve CURVE = BLS12_381G1.createCurve();
    private static final HashToEllipticCurve HASH_TO_G1 =
            HashToEllipticCurve.getInstance(HashToCurveProfile.BLS12_381_G1_XMD_SHA_256_SSWU_RO, DST);
    private static final BLS12_381G2Point KEY =
            BLS12_381Serialization.decompressG2(HexFormat.of().parseHex(PUBLIC_KEY));

    private Quicknet() {}

    static BLS12_381G2Point publicKey() {
        return KEY;
    }

    /** The G1 point a round's signature signs: RFC 9380 hash of {@code SHA-256(round as u64 big-endian)}. */
    static ECPoint roundPoint(long round) {
        return HASH_TO_G1
                .hashToCurve(sha256(ByteBuffer.allocate(8).putLong(round).array()))
                .normalize();
    }

    /**
     * Whether {@code signature} (48 bytes, compressed G1) is the beacon's signature of {@code round}:
     * {@code e(signature, g2) == e(H(round), key)}. A malformed point is simply not a signature.
     */
    public static boolean verify(long round, byte[] signature) {
        ECPoint sig;
        try {
            sig = BLS12_381Serialization.decompressG1(signature, CURVE);
        } catch (RuntimeException e) {
            return false;
        }
        if (sig == null || sig.isInfinity() || !sig.multiply(Pairing.R).isInfinity()) {
            return false;
        }
        return Pairing.pair(g1(sig), g2(BLS12_381G2.getGenerator()))
                .equals(Pairing.pair(g1(roundPoint(round)), g2(KEY)));
    }

    /** The time (Unix seconds) at which {@code round} is published. */
    public static long roundTime(long round) {
        return GENESIS + (round - 1) * PERIOD;
    }

    static Pairing.G1 g1(ECPoint point) {
        ECPoint affine = point.normalize();
        return new Pairing.G1(
                affine.getAffineXCoord().toBigInteger(),
                affine.getAffineYCoord().toBigInteger());
    }

    static Pairing.G2 g2(BLS12_381G2Point point) {
        return new Pairing.G2(
                Fp2.of(point.x().c0(), point.x().c1()),
                Fp2.of(point.y().c0(), point.y().c1()));
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
