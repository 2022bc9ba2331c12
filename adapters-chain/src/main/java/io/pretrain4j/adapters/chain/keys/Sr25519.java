package io.pretrain4j.adapters.chain.keys;

import cafe.cryptography.curve25519.Constants;
import cafe.cryptography.curve25519.Scalar;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * sr25519 public keys from a 32-byte mini secret, as schnorrkel expands it in Substrate's
 * ({@code ExpandMode::Ed25519}): SHA-512 of the mini secret, the first half clamped as for ed25519
 * and divided by the cofactor 8 is the secret scalar, the public key is that scalar times the
 * Ristretto255 generator, compressed. (Signing arrives with the Subtensor adapter.)
 */
public final class Sr25519 {
    private Sr25519() {}

    /** The 32-byte public key of a mini secret. */
    public static byte[] publicKey(byte[] miniSecret) {
        if (miniSecret.length != 32) {
            throw new IllegalArgumentException("an sr25519 mini secret is 32 bytes, got " + miniSecret.length);
        }
        byte[] expanded;
        try {
            expanded = MessageDigest.getInstance("SHA-512").digest(miniSecret);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-512", e);
        }
        byte[] key = Arrays.copyOf(expanded, 32);
        key[0] &= (byte) 248;
        key[31] &= 63;
        key[31] |= 64;
        divideByCofactor(key);
        Arrays.fill(expanded, (byte) 0);
        byte[] publicKey = Constants.RISTRETTO_GENERATOR.multiply(Scalar.fromBits(key)).compress().toByteArray();
        Arrays.fill(key, (byte) 0);
        return publicKey;
    }

    /** Shifts a little-endian 256-bit integer right by 3 bits. */
    private static void divideByCofactor(byte[] key) {
        int low = 0;
        for (int i = key.length - 1; i >= 0; i--) {
            int value = key[i] & 0xff;
            key[i] = (byte) ((value >>> 3) | low);
            low = (value & 7) << 5;
        }
    }
}
