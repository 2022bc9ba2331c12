package io.pretrain4j.adapters.chain.subtensor;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.bouncycastle.crypto.bls.BLS12_381G1;
import org.bouncycastle.crypto.bls.BLS12_381G2;
import org.bouncycastle.crypto.bls.BLS12_381Serialization;
import org.bouncycastle.crypto.hash2curve.HashToCurveProfile;
import org.bouncycastle.crypto.hash2curve.HashToEllipticCurve;

/**
 * The drand beacon of a fake chain: quicknet itself (only round 1000's signature is known, from
 * subtensor's tests), or a test beacon with its own secret key that signs any round, the way drand's
 * {@code bls-unchained-g1-rfc9380} scheme does: {@code sig = sk · H(SHA-256(round as u64 BE))}. Written
 * here with BouncyCastle, apart from the adapter's timelock code.
 */
final class DrandBeacon {
    private static final String DST = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";
    private static final String QUICKNET_KEY =
            "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a";
    static final String QUICKNET_1000 =
            "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";

    private final BigInteger secret;
    private final byte[] publicKey;

    private DrandBeacon(BigInteger secret, byte[] publicKey) {
        this.secret = secret;
        this.publicKey = publicKey;
    }

    static DrandBeacon quicknet() {
        return new DrandBeacon(null, HexFormat.of().parseHex(QUICKNET_KEY));
    }

    static DrandBeacon withSecret(BigInteger secret) {
        return new DrandBeacon(
                secret,
                BLS12_381Serialization.compressG2(BLS12_381G2.getGenerator().multiply(secret)));
    }

    byte[] publicKey() {
        return publicKey.clone();
    }

    /** The pulse signature of {@code round} (48 bytes, compressed G1). */
    byte[] signature(long round) {
        if (secret == null) {
            if (round == 1000) {
                return HexFormat.of().parseHex(QUICKNET_1000);
            }
            throw new IllegalStateException(
                    "the fake chain knows quicknet's signature of round 1000 only, not " + round);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(ByteBuffer.allocate(8).putLong(round).array());
            var point = HashToEllipticCurve.getInstance(HashToCurveProfile.BLS12_381_G1_XMD_SHA_256_SSWU_RO, DST)
                    .hashToCurve(digest);
            return BLS12_381Serialization.compressG1(point.multiply(secret).normalize());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static BigInteger order() {
        return BLS12_381G1.ORDER;
    }
}
