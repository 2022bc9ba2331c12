package io.pretrain4j.crypto.ss58;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * SS58 addresses for the generic Substrate prefix 42 (bittensor's):
 * {@code base58(0x2a ++ publicKey ++ blake2b-512("SS58PRE" ++ 0x2a ++ publicKey)[0..2])}.
 */
public final class Ss58 {
    /** The network prefix bittensor uses. */
    public static final int PREFIX = 42;

    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);

    private Ss58() {}

    /** The address of a 32-byte public key. */
    public static String encode(byte[] publicKey) {
        if (publicKey.length != 32) {
            throw new IllegalArgumentException("a public key is 32 bytes, got " + publicKey.length);
        }
        byte[] payload = new byte[35];
        payload[0] = (byte) PREFIX;
        System.arraycopy(publicKey, 0, payload, 1, 32);
        byte[] checksum = checksum(payload, 33);
        payload[33] = checksum[0];
        payload[34] = checksum[1];
        return base58(payload);
    }

    /** The public key of an address, if the address is well formed with prefix 42 and a valid checksum. */
    public static Optional<byte[]> decode(String address) {
        if (address == null || address.length() < 40 || address.length() > 60) {
            return Optional.empty();
        }
        BigInteger value = BigInteger.ZERO;
        for (int i = 0; i < address.length(); i++) {
            int digit = ALPHABET.indexOf(address.charAt(i));
            if (digit < 0) {
                return Optional.empty();
            }
            value = value.multiply(BASE).add(BigInteger.valueOf(digit));
        }
        byte[] raw = value.toByteArray();
        byte[] payload = new byte[35];
        int start = raw.length > 35 ? raw.length - 35 : 0;
        if (raw.length - start > 35 || (start > 0 && raw[0] != 0)) {
            return Optional.empty();
        }
        System.arraycopy(raw, start, payload, 35 - (raw.length - start), raw.length - start);
        if ((payload[0] & 0xff) != PREFIX) {
            return Optional.empty();
        }
        byte[] checksum = checksum(payload, 33);
        if (checksum[0] != payload[33] || checksum[1] != payload[34]) {
            return Optional.empty();
        }
        byte[] publicKey = Arrays.copyOfRange(payload, 1, 33);
        // base58 keeps leading zero bytes as leading '1's; the big-integer conversion above loses them, so an
        // address with extra '1's in front would decode to the same key. Only the one canonical spelling is accepted.
        if (!encode(publicKey).equals(address)) {
            return Optional.empty();
        }
        return Optional.of(publicKey);
    }

    private static byte[] checksum(byte[] payload, int length) {
        Blake2bDigest blake = new Blake2bDigest(512);
        byte[] pre = "SS58PRE".getBytes(StandardCharsets.US_ASCII);
        blake.update(pre, 0, pre.length);
        blake.update(payload, 0, length);
        byte[] out = new byte[64];
        blake.doFinal(out, 0);
        return out;
    }

    private static String base58(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        BigInteger value = new BigInteger(1, bytes);
        while (value.signum() > 0) {
            BigInteger[] division = value.divideAndRemainder(BASE);
            out.append(ALPHABET.charAt(division[1].intValue()));
            value = division[0];
        }
        for (int i = 0; i < bytes.length && bytes[i] == 0; i++) {
            out.append('1');
        }
        return out.reverse().toString();
    }
}
