package io.pretrain4j.adapters.chain.subtensor;

import io.pretrain4j.crypto.sr25519.Sr25519;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * The fake node's own SCALE, storage-key, SS58 and extrinsic code, written from the Substrate
 * documentation and sharing nothing with the adapter's {@code Scale}, {@code StorageKeys}, {@code Ss58}
 * and {@code Extrinsics}: a mistake in the adapter's encoding cannot hide in the fake. Hashes come from
 * independent libraries (lz4-java's XXH64, BouncyCastle's BLAKE2b); only the sr25519 signature check is
 * pretrain4j's own ({@code lib/crypto}, cross-checked against other implementations in its own tests).
 */
final class NodeCodec {
    private static final XXHash64 XXH64 = XXHashFactory.safeInstance().hash64();
    private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    /** The generic Substrate SS58 prefix bittensor uses. */
    private static final int SS58_PREFIX = 42;

    private NodeCodec() {}

    // ------------------------------------------------------------------ SCALE

    /** SCALE output: fixed-width integers little-endian, compact integers, length-prefixed vectors. */
    static final class Out {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Out u8(int value) {
            out.write(value & 0xff);
            return this;
        }

        Out u16(int value) {
            return little(value, 2);
        }

        Out u32(long value) {
            return little(value, 4);
        }

        Out u64(long value) {
            return little(value, 8);
        }

        Out bool(boolean value) {
            return u8(value ? 1 : 0);
        }

        Out bytes(byte[] raw) {
            out.writeBytes(raw);
            return this;
        }

        Out vec(byte[] raw) {
            return compact(raw.length).bytes(raw);
        }

        Out string(String text) {
            return vec(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Compact: single byte below 2^6, two below 2^14, four below 2^30, else a length byte and the value. */
        Out compact(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("compact of a negative number");
            }
            if (value < 1 << 6) {
                return u8((int) (value << 2));
            }
            if (value < 1 << 14) {
                return little((value << 2) | 1, 2);
            }
            if (value < 1L << 30) {
                return little((value << 2) | 2, 4);
            }
            byte[] big = BigInteger.valueOf(value).toByteArray();
            int start = big[0] == 0 ? 1 : 0;
            int length = big.length - start;
            u8(((length - 4) << 2) | 3);
            for (int i = big.length - 1; i >= start; i--) {
                out.write(big[i]);
            }
            return this;
        }

        private Out little(long value, int width) {
            for (int i = 0; i < width; i++) {
                out.write((int) (value >>> (8 * i)) & 0xff);
            }
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    /** SCALE input over a byte array; running past the end throws. */
    static final class In {
        private final byte[] data;
        private int position;

        In(byte[] data) {
            this.data = data;
        }

        int u8() {
            need(1);
            return data[position++] & 0xff;
        }

        int u16() {
            return (int) little(2);
        }

        long u32() {
            return little(4);
        }

        long u64() {
            return little(8);
        }

        boolean bool() {
            int value = u8();
            if (value > 1) {
                throw new IllegalArgumentException("bool byte " + value);
            }
            return value == 1;
        }

        byte[] bytes(int length) {
            need(length);
            byte[] out = Arrays.copyOfRange(data, position, position + length);
            position += length;
            return out;
        }

        byte[] vec() {
            long length = compact();
            if (length > remaining()) {
                throw new IllegalArgumentException("a vector of " + length + " bytes with " + remaining() + " left");
            }
            return bytes((int) length);
        }

        long compact() {
            int first = u8();
            switch (first & 3) {
                case 0:
                    return first >>> 2;
                case 1:
                    return (first | u8() << 8) >>> 2;
                case 2:
                    return ((first | (long) u8() << 8 | (long) u8() << 16 | (long) u8() << 24)) >>> 2;
                default:
                    int length = (first >>> 2) + 4;
                    if (length > 8) {
                        throw new IllegalArgumentException("a compact of " + length + " bytes");
                    }
                    return little(length);
            }
        }

        int remaining() {
            return data.length - position;
        }

        boolean atEnd() {
            return position == data.length;
        }

        int position() {
            return position;
        }

        private long little(int width) {
            need(width);
            long value = 0;
            for (int i = 0; i < width; i++) {
                value |= (long) (data[position++] & 0xff) << (8 * i);
            }
            return value;
        }

        private void need(int n) {
            if (n < 0 || position + n > data.length) {
                throw new IllegalArgumentException("wanted " + n + " bytes at " + position + " of " + data.length);
            }
        }
    }

    // ------------------------------------------------------------------ storage keys

    /** {@code twox128(pallet) ++ twox128(item)}: a storage value's key, or a map's prefix. */
    static byte[] prefix(String pallet, String item) {
        return concat(twox128(pallet), twox128(item));
    }

    /** A map entry's key: the prefix, then each key part as the map's hasher made it. */
    static byte[] entry(String pallet, String item, byte[]... hashedKeys) {
        byte[] key = prefix(pallet, item);
        for (byte[] part : hashedKeys) {
            key = concat(key, part);
        }
        return key;
    }

    /** {@code Twox64Concat}: XXH64 with seed 0, little-endian, then the key. */
    static byte[] twox64Concat(byte[] key) {
        return concat(littleLong(XXH64.hash(key, 0, key.length, 0)), key);
    }

    /** {@code Blake2_128Concat}: BLAKE2b-128 of the key, then the key. */
    static byte[] blake2128Concat(byte[] key) {
        return concat(blake2b(key, 16), key);
    }

    /** {@code twox128}: XXH64 with seeds 0 and 1, each little-endian. */
    static byte[] twox128(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return concat(
                littleLong(XXH64.hash(bytes, 0, bytes.length, 0)), littleLong(XXH64.hash(bytes, 0, bytes.length, 1)));
    }

    static byte[] blake2b(byte[] data, int length) {
        Blake2bDigest digest = new Blake2bDigest(length * 8);
        digest.update(data, 0, data.length);
        byte[] out = new byte[length];
        digest.doFinal(out, 0);
        return out;
    }

    // ------------------------------------------------------------------ SS58

    /** The SS58 address of a 32-byte account (prefix 42): base58 of prefix ++ account ++ 2 checksum bytes. */
    static String ss58(byte[] account) {
        byte[] body = concat(new byte[] {(byte) SS58_PREFIX}, account);
        byte[] payload = concat(body, Arrays.copyOf(ss58Hash(body), 2));
        BigInteger value = new BigInteger(1, payload);
        StringBuilder text = new StringBuilder();
        BigInteger base = BigInteger.valueOf(58);
        while (value.signum() > 0) {
            BigInteger[] qr = value.divideAndRemainder(base);
            text.append(BASE58.charAt(qr[1].intValue()));
            value = qr[0];
        }
        for (int i = 0; i < payload.length && payload[i] == 0; i++) {
            text.append('1');
        }
        return text.reverse().toString();
    }

    /** The account of an SS58 address with prefix 42 and a valid checksum. */
    static Optional<byte[]> account(String ss58) {
        BigInteger value = BigInteger.ZERO;
        for (char c : ss58.toCharArray()) {
            int digit = BASE58.indexOf(c);
            if (digit < 0) {
                return Optional.empty();
            }
            value = value.multiply(BigInteger.valueOf(58)).add(BigInteger.valueOf(digit));
        }
        byte[] raw = value.toByteArray();
        byte[] payload = new byte[35];
        int length = Math.min(raw.length, 35);
        System.arraycopy(raw, raw.length - length, payload, 35 - length, length);
        if (raw.length > 36 || (raw.length == 36 && raw[0] != 0) || (payload[0] & 0xff) != SS58_PREFIX) {
            return Optional.empty();
        }
        byte[] body = Arrays.copyOf(payload, 33);
        byte[] check = Arrays.copyOf(ss58Hash(body), 2);
        if (!Arrays.equals(check, Arrays.copyOfRange(payload, 33, 35))) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(payload, 1, 33));
    }

    private static byte[] ss58Hash(byte[] body) {
        return blake2b(concat("SS58PRE".getBytes(StandardCharsets.US_ASCII), body), 64);
    }

    // ------------------------------------------------------------------ extrinsics

    /**
     * A signed v4 extrinsic as the node reads it.
     *
     * @param signer the 32-byte account (MultiAddress::Id)
     * @param signature the sr25519 signature (MultiSignature::Sr25519)
     * @param era the era bytes (1 immortal, 2 mortal)
     * @param nonce the signer's nonce
     * @param extra the signed extensions' explicit part, as sent
     * @param call the call
     */
    record SignedExtrinsic(byte[] signer, byte[] signature, byte[] era, long nonce, byte[] extra, byte[] call) {}

    /** Reads a signed v4 extrinsic for the runtime's {@code extensions}, in their order. */
    static SignedExtrinsic decodeExtrinsic(byte[] extrinsic, List<String> extensions) {
        In outer = new In(extrinsic);
        byte[] body = outer.vec();
        if (!outer.atEnd()) {
            throw new IllegalArgumentException(outer.remaining() + " bytes after the extrinsic");
        }
        In in = new In(body);
        if (in.u8() != 0x84) {
            throw new IllegalArgumentException("not a signed v4 extrinsic");
        }
        if (in.u8() != 0) {
            throw new IllegalArgumentException("the address is not MultiAddress::Id");
        }
        byte[] signer = in.bytes(32);
        if (in.u8() != 1) {
            throw new IllegalArgumentException("the signature is not sr25519");
        }
        byte[] signature = in.bytes(64);
        int extraStart = in.position();
        byte[] era = new byte[] {0};
        long nonce = 0;
        for (String extension : extensions) {
            switch (extension) {
                case "CheckMortality", "CheckEra" -> {
                    int first = in.u8();
                    era = first == 0 ? new byte[] {0} : new byte[] {(byte) first, (byte) in.u8()};
                }
                case "CheckNonce" -> nonce = in.compact();
                case "ChargeTransactionPayment", "ChargeTransactionPaymentWrapper" -> in.compact(); // the tip
                case "CheckMetadataHash" -> in.u8(); // the mode
                default -> {} // no explicit part
            }
        }
        byte[] extra = Arrays.copyOfRange(body, extraStart, in.position());
        return new SignedExtrinsic(signer, signature, era, nonce, extra, in.bytes(in.remaining()));
    }

    /** The implicit part the runtime appends to a signing payload, for its {@code extensions}. */
    static byte[] additional(long specVersion, long txVersion, byte[] genesis, byte[] birth, List<String> extensions) {
        Out out = new Out();
        for (String extension : extensions) {
            switch (extension) {
                case "CheckSpecVersion" -> out.u32(specVersion);
                case "CheckTxVersion" -> out.u32(txVersion);
                case "CheckGenesis" -> out.bytes(genesis);
                case "CheckMortality", "CheckEra" -> out.bytes(birth);
                case "CheckMetadataHash" -> out.u8(0); // Option<[u8; 32]>::None
                default -> {}
            }
        }
        return out.toByteArray();
    }

    /** Whether the signature covers {@code call ++ extra ++ additional} (BLAKE2b-256 of it when over 256 bytes). */
    static boolean verify(SignedExtrinsic extrinsic, byte[] additional) {
        byte[] payload = concat(concat(extrinsic.call(), extrinsic.extra()), additional);
        byte[] signed = payload.length > 256 ? blake2b(payload, 32) : payload;
        return Sr25519.verify(extrinsic.signer(), signed, extrinsic.signature());
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] littleLong(long value) {
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (value >>> (8 * i));
        }
        return out;
    }
}
