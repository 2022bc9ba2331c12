package io.pretrain4j.crypto.sr25519;

import cafe.cryptography.curve25519.CompressedRistretto;
import cafe.cryptography.curve25519.Constants;
import cafe.cryptography.curve25519.InvalidEncodingException;
import cafe.cryptography.curve25519.RistrettoElement;
import cafe.cryptography.curve25519.Scalar;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
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
        byte[] publicKey = Constants.RISTRETTO_GENERATOR
                .multiply(Scalar.fromBits(key))
                .compress()
                .toByteArray();
        Arrays.fill(key, (byte) 0);
        return publicKey;
    }

    /** The signing context every Substrate signature uses. */
    public static final String SUBSTRATE_CONTEXT = "substrate";

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Signs {@code message} in the {@code substrate} context (schnorrkel: Merlin transcript
     * "SigningContext", proto "Schnorr-sig", the public key and R committed, challenge "sign:c").
     * Signatures are randomised; the 64 bytes are {@code R || s} with the schnorrkel marker bit set.
     */
    public static byte[] sign(byte[] miniSecret, byte[] message) {
        if (miniSecret.length != 32) {
            throw new IllegalArgumentException("an sr25519 mini secret is 32 bytes, got " + miniSecret.length);
        }
        byte[] expanded = sha512(miniSecret);
        byte[] key = Arrays.copyOf(expanded, 32);
        key[0] &= (byte) 248;
        key[31] &= 63;
        key[31] |= 64;
        divideByCofactor(key);
        Scalar secret = Scalar.fromBits(key).reduce();
        byte[] publicKey =
                Constants.RISTRETTO_GENERATOR.multiply(secret).compress().toByteArray();
        MerlinTranscript transcript = signingTranscript(message);
        transcript.appendMessage("proto-name", "Schnorr-sig".getBytes(StandardCharsets.US_ASCII));
        transcript.appendMessage("sign:pk", publicKey);
        // the witness: the secret nonce, the transcript so far and fresh randomness (schnorrkel's
        // witness_scalar does the same)
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        byte[] witnessInput = new byte[32 + 32 + 64];
        System.arraycopy(expanded, 32, witnessInput, 0, 32);
        System.arraycopy(fresh, 0, witnessInput, 32, 32);
        System.arraycopy(transcript.copy().challengeBytes("witness", 64), 0, witnessInput, 64, 64);
        Scalar r = Scalar.fromBytesModOrderWide(sha512(witnessInput));
        Arrays.fill(witnessInput, (byte) 0);
        Arrays.fill(expanded, (byte) 0);
        Arrays.fill(key, (byte) 0);
        byte[] bigR = Constants.RISTRETTO_GENERATOR.multiply(r).compress().toByteArray();
        transcript.appendMessage("sign:R", bigR);
        Scalar k = Scalar.fromBytesModOrderWide(transcript.challengeBytes("sign:c", 64));
        byte[] s = k.multiplyAndAdd(secret, r).toByteArray();
        byte[] signature = new byte[64];
        System.arraycopy(bigR, 0, signature, 0, 32);
        System.arraycopy(s, 0, signature, 32, 32);
        signature[63] |= (byte) 0x80;
        return signature;
    }

    /** Whether {@code signature} is {@code publicKey}'s signature of {@code message} in the {@code substrate} context. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != 32 || signature.length != 64 || (signature[63] & 0x80) == 0) {
            return false;
        }
        try {
            RistrettoElement a = new CompressedRistretto(publicKey).decompress();
            byte[] sBytes = Arrays.copyOfRange(signature, 32, 64);
            sBytes[31] &= 0x7f;
            Scalar s = Scalar.fromCanonicalBytes(sBytes);
            byte[] bigR = Arrays.copyOf(signature, 32);
            MerlinTranscript transcript = signingTranscript(message);
            transcript.appendMessage("proto-name", "Schnorr-sig".getBytes(StandardCharsets.US_ASCII));
            transcript.appendMessage("sign:pk", publicKey);
            transcript.appendMessage("sign:R", bigR);
            Scalar k = Scalar.fromBytesModOrderWide(transcript.challengeBytes("sign:c", 64));
            RistrettoElement expected =
                    Constants.RISTRETTO_GENERATOR.multiply(s).subtract(a.multiply(k));
            return Arrays.equals(expected.compress().toByteArray(), bigR);
        } catch (InvalidEncodingException | IllegalArgumentException e) {
            return false;
        }
    }

    private static MerlinTranscript signingTranscript(byte[] message) {
        MerlinTranscript transcript = new MerlinTranscript("SigningContext");
        transcript.appendMessage("", SUBSTRATE_CONTEXT.getBytes(StandardCharsets.US_ASCII));
        transcript.appendMessage("sign-bytes", message);
        return transcript;
    }

    private static byte[] sha512(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-512", e);
        }
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
