package io.pretrain4j.adapters.chain.subtensor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/** FRAME storage keys: {@code twox128(pallet) ++ twox128(item) ++ hasher(key)...}, and the hashers. */
public final class StorageKeys {
    private StorageKeys() {}

    /** {@code twox128(pallet) ++ twox128(item)}: the prefix of a storage item (and of all its map entries). */
    public static byte[] prefix(String pallet, String item) {
        return concat(twox128(pallet.getBytes(StandardCharsets.UTF_8)), twox128(item.getBytes(StandardCharsets.UTF_8)));
    }

    /** A map entry's key: the prefix followed by each hashed key part. */
    public static byte[] entry(String pallet, String item, byte[]... hashedKeys) {
        return concat(prefix(pallet, item), concat(hashedKeys));
    }

    /** {@code xxh64(data, 0) LE ++ xxh64(data, 1) LE}. */
    public static byte[] twox128(byte[] data) {
        return concat(littleEndian(XxHash64.hash(data, 0)), littleEndian(XxHash64.hash(data, 1)));
    }

    /** The {@code Twox64Concat} hasher: {@code xxh64(data, 0) LE ++ data}. */
    public static byte[] twox64Concat(byte[] data) {
        return concat(littleEndian(XxHash64.hash(data, 0)), data);
    }

    /** The {@code Blake2_128Concat} hasher: {@code blake2b-128(data) ++ data}. */
    public static byte[] blake2128Concat(byte[] data) {
        return concat(blake2b(data, 16), data);
    }

    /** The {@code Identity} hasher. */
    public static byte[] identity(byte[] data) {
        return data.clone();
    }

    /** Blake2b with an output of {@code bytes} bytes (32 for BlakeTwo256, the extrinsic payload hash). */
    public static byte[] blake2b(byte[] data, int bytes) {
        Blake2bDigest digest = new Blake2bDigest(bytes * 8);
        digest.update(data, 0, data.length);
        byte[] out = new byte[bytes];
        digest.doFinal(out, 0);
        return out;
    }

    private static byte[] littleEndian(long value) {
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (value >>> (8 * i));
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
