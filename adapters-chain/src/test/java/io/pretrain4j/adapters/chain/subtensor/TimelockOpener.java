package io.pretrain4j.adapters.chain.subtensor;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.bls.BLS12_381G1;
import org.bouncycastle.crypto.bls.BLS12_381G2;
import org.bouncycastle.crypto.bls.BLS12_381G2Point;
import org.bouncycastle.crypto.bls.BLS12_381Pairing;
import org.bouncycastle.crypto.bls.BLS12_381Serialization;
import org.bouncycastle.crypto.bls.Fp12Element;
import org.bouncycastle.crypto.bls.Fp2Element;
import org.bouncycastle.crypto.bls.Fp6Element;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The fake chain's own opening of a timelocked commit, as subtensor's {@code tle} does it, written
 * apart from the adapter's timelock code so that a mistake there cannot hide here: the layout read by
 * hand, the pairing from BouncyCastle (whose reduced pairing, cubed, is the value arkworks computes),
 * AES-256-GCM from the JDK.
 */
final class TimelockOpener {
    private static final BigInteger THREE = BigInteger.valueOf(3);

    private TimelockOpener() {}

    /** The plaintext of {@code commit}, opened with the round's {@code signature}; an exception when it does not open. */
    static byte[] open(byte[] commit, byte[] signature) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(commit).order(ByteOrder.LITTLE_ENDIAN);
        byte[] u = take(in, 96);
        byte[] v = take(in, lengthOf(in, 32));
        byte[] w = take(in, lengthOf(in, 32));
        ByteBuffer body =
                ByteBuffer.wrap(take(in, lengthOf(in, in.remaining()))).order(ByteOrder.LITTLE_ENDIAN);
        byte[] scheme = take(in, lengthOf(in, 8));
        if (!Arrays.equals(scheme, "AES_GCM_".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                || in.hasRemaining()) {
            throw new IllegalArgumentException("not an AES_GCM_ timelock commit");
        }
        byte[] sealed = take(body, lengthOf(body, body.remaining()));
        byte[] nonce = take(body, lengthOf(body, 12));

        ECPoint sig = BLS12_381Serialization.decompressG1(signature, BLS12_381G1.createCurve());
        BLS12_381G2Point uPoint = BLS12_381Serialization.decompressG2(u);
        Fp12Element gt = BLS12_381Pairing.pair(sig, uPoint).modPow(THREE);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] sigma = xor(v, sha.digest(gtBytes(gt)));
        byte[] esk = xor(w, MessageDigest.getInstance("SHA-256").digest(sigma));
        MessageDigest h3 = MessageDigest.getInstance("SHA-256");
        h3.update(sigma);
        h3.update(esk);
        BigInteger r = new BigInteger(1, h3.digest()).mod(BLS12_381G1.ORDER);
        if (!BLS12_381G2.getGenerator().multiply(r).equals(uPoint)) {
            throw new IllegalArgumentException(
                    "U is not r·G2: the signature is not this round's, or the commit was altered");
        }
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(esk, "AES"), new GCMParameterSpec(128, nonce));
        return aes.doFinal(sealed);
    }

    /** arkworks' GT bytes: twelve base-field coordinates, 48 bytes little-endian each, c0.c0.c0 first. */
    private static byte[] gtBytes(Fp12Element gt) {
        ByteBuffer out = ByteBuffer.allocate(12 * 48);
        for (Fp6Element six : new Fp6Element[] {gt.c0(), gt.c1()}) {
            for (Fp2Element two : new Fp2Element[] {six.c0(), six.c1(), six.c2()}) {
                for (BigInteger coordinate : new BigInteger[] {two.c0(), two.c1()}) {
                    byte[] big = coordinate.toByteArray();
                    byte[] little = new byte[48];
                    for (int i = 0; i < Math.min(48, big.length); i++) {
                        little[i] = big[big.length - 1 - i];
                    }
                    out.put(little);
                }
            }
        }
        return out.array();
    }

    private static int lengthOf(ByteBuffer in, int max) {
        long length = in.getLong();
        if (length < 0 || length > max || length > in.remaining()) {
            throw new IllegalArgumentException("a length of " + length + " does not fit");
        }
        return (int) length;
    }

    private static byte[] take(ByteBuffer in, int length) {
        byte[] out = new byte[length];
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
}
