package io.pretrain4j.crypto.timelock;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.bls.BLS12_381G2;
import org.bouncycastle.crypto.bls.BLS12_381G2Point;
import org.bouncycastle.crypto.bls.BLS12_381Serialization;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Timelock encryption to a drand quicknet round, byte-compatible with the {@code tle} crate that
 * subtensor decrypts with (COMMIT_REVEAL.md 3.3): Boneh–Franklin FullIdent on BLS12-381 (identity =
 * the round, its key = the round's signature) wrapping an AES-256-GCM body, serialized the way
 * arkworks serializes. Anyone holding the round's signature, once drand publishes it, can decrypt.
 */
public final class TimelockEncryption {
    /** Bytes a ciphertext adds to its plaintext. */
    public static final int OVERHEAD = 244;

    private static final byte[] AES_GCM = "AES_GCM_".getBytes(StandardCharsets.US_ASCII);

    private TimelockEncryption() {}

    /** Encrypts {@code plaintext} to quicknet {@code round} with fresh randomness from {@code random}. */
    public static byte[] encrypt(byte[] plaintext, long round, SecureRandom random) {
        return encrypt(plaintext, round, Quicknet.publicKey(), random);
    }

    /**
     * Encrypts to {@code round} of the beacon whose group key is {@code beaconKey} (96 bytes, compressed
     * G2; {@link Quicknet#PUBLIC_KEY} on every real network, another key only for a test beacon).
     */
    public static byte[] encrypt(byte[] plaintext, long round, byte[] beaconKey, SecureRandom random) {
        BLS12_381G2Point key;
        try {
            key = BLS12_381Serialization.decompressG2(beaconKey);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the beacon key is not a compressed G2 point: " + e.getMessage(), e);
        }
        return encrypt(plaintext, round, key, random);
    }

    /** Checks that {@code beaconKey} is a compressed G2 point of the right order; names what is wrong. */
    public static void checkBeaconKey(byte[] beaconKey) {
        if (beaconKey.length != 96) {
            throw new IllegalArgumentException(
                    "a drand group key is 96 bytes (compressed G2), got " + beaconKey.length);
        }
        BLS12_381G2Point key;
        try {
            key = BLS12_381Serialization.decompressG2(beaconKey);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a compressed G2 point: " + e.getMessage(), e);
        }
        if (key == null || key.isInfinity() || !key.multiply(Pairing.R).isInfinity()) {
            throw new IllegalArgumentException("not a point of the order-r subgroup of G2");
        }
    }

    private static byte[] encrypt(byte[] plaintext, long round, BLS12_381G2Point key, SecureRandom random) {
        byte[] esk = new byte[32];
        byte[] sigma = new byte[32];
        byte[] nonce = new byte[12];
        random.nextBytes(esk);
        random.nextBytes(sigma);
        random.nextBytes(nonce);
        return encrypt(plaintext, round, key, esk, sigma, nonce);
    }

    /** The deterministic core for quicknet: the given ephemeral AES key, sigma and nonce (tests reproduce the spec's vector with it). */
    static byte[] encrypt(byte[] plaintext, long round, byte[] esk, byte[] sigma, byte[] nonce) {
        return encrypt(plaintext, round, Quicknet.publicKey(), esk, sigma, nonce);
    }

    private static byte[] encrypt(
            byte[] plaintext, long round, BLS12_381G2Point key, byte[] esk, byte[] sigma, byte[] nonce) {
        require(
                esk.length == 32 && sigma.length == 32 && nonce.length == 12,
                "esk and sigma are 32 bytes, the nonce 12");
        BigInteger r = new BigInteger(1, Quicknet.sha256(sigma, esk)).mod(Pairing.R);
        BLS12_381G2Point u = BLS12_381G2.getGenerator().multiply(r);
        Fp12 g = Pairing.pair(Quicknet.g1(Quicknet.roundPoint(round)), Quicknet.g2(key.multiply(r)));
        byte[] v = xor(sigma, Quicknet.sha256(Pairing.gtBytes(g)));
        byte[] w = xor(esk, Quicknet.sha256(sigma));
        byte[] sealed = aes(Cipher.ENCRYPT_MODE, esk, nonce, plaintext);

        ByteArrayOutputStream body = new ByteArrayOutputStream();
        vec(body, sealed);
        vec(body, nonce);
        ByteArrayOutputStream out = new ByteArrayOutputStream(plaintext.length + OVERHEAD);
        out.writeBytes(BLS12_381Serialization.compressG2(u));
        vec(out, v);
        vec(out, w);
        vec(out, body.toByteArray());
        vec(out, AES_GCM);
        return out.toByteArray();
    }

    /**
     * Decrypts with the round's signature (48 bytes, compressed G1), as the chain does when the pulse
     * arrives: {@code sigma = V ⊕ H(e(sig, U))}, {@code esk = W ⊕ H(sigma)}, {@code U} re-derived and
     * compared, then AES-GCM opened.
     *
     * @throws IllegalArgumentException naming what is wrong: the layout, the points, the check on U, or the tag
     */
    public static byte[] decrypt(byte[] ciphertext, byte[] signature) {
        ByteBuffer in = ByteBuffer.wrap(ciphertext).order(ByteOrder.LITTLE_ENDIAN);
        require(
                ciphertext.length >= OVERHEAD,
                "a timelock ciphertext has at least " + OVERHEAD + " bytes, got " + ciphertext.length);
        byte[] uBytes = new byte[96];
        in.get(uBytes);
        byte[] v = vec(in, 32, "V");
        byte[] w = vec(in, 32, "W");
        byte[] body = vec(in, in.remaining(), "the body");
        byte[] scheme = vec(in, 8, "the scheme tag");
        require(Arrays.equals(scheme, AES_GCM), "the scheme tag is not AES_GCM_");
        require(!in.hasRemaining(), in.remaining() + " bytes after the scheme tag");
        ByteBuffer bodyIn = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        byte[] sealed = vec(bodyIn, bodyIn.remaining(), "the sealed message");
        byte[] nonce = vec(bodyIn, 12, "the nonce");
        require(!bodyIn.hasRemaining(), "bytes after the nonce");

        BLS12_381G2Point u;
        ECPoint sig;
        try {
            u = BLS12_381Serialization.decompressG2(uBytes);
            sig = BLS12_381Serialization.decompressG1(signature, Quicknet.CURVE);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "U or the signature is not a compressed BLS12-381 point: " + e.getMessage(), e);
        }
        require(
                u != null && !u.isInfinity() && sig != null && !sig.isInfinity(),
                "U or the signature is the point at infinity");
        byte[] sigma = xor(v, Quicknet.sha256(Pairing.gtBytes(Pairing.pair(Quicknet.g1(sig), Quicknet.g2(u)))));
        byte[] esk = xor(w, Quicknet.sha256(sigma));
        BigInteger r = new BigInteger(1, Quicknet.sha256(sigma, esk)).mod(Pairing.R);
        require(
                BLS12_381G2.getGenerator().multiply(r).equals(u),
                "U is not r·G2 for the decrypted sigma and key: wrong round signature, " + "or a damaged ciphertext");
        return aes(Cipher.DECRYPT_MODE, esk, nonce, sealed);
    }

    private static byte[] aes(int mode, byte[] key, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("the AES-GCM tag does not match: the body was altered", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JDK: " + e.getMessage(), e);
        }
    }

    private static void vec(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(bytes.length)
                .array());
        out.writeBytes(bytes);
    }

    private static byte[] vec(ByteBuffer in, int max, String what) {
        require(in.remaining() >= 8, what + " is cut off");
        long length = in.getLong();
        require(
                length >= 0 && length <= max && length <= in.remaining(),
                what + " claims " + Long.toUnsignedString(length) + " bytes, " + in.remaining() + " remain");
        byte[] out = new byte[(int) length];
        in.get(out);
        return out;
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException("timelock ciphertext: " + problem);
        }
    }
}
