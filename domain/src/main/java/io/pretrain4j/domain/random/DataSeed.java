package io.pretrain4j.domain.random;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The seed every validator derives for a step's data (taoverse {@code get_hash_of_sync_block}):
 * the block is rounded down to the 150-block sync cadence, and the seed is
 * {@code int(sha256(block_hash_hex_string.encode()).hexdigest(), 16)}, where the hash string is the
 * one the node returns, {@code 0x} included.
 */
public final class DataSeed {
    /** The reference's {@code SYNC_BLOCK_CADENCE}. */
    public static final long SYNC_BLOCK_CADENCE = 150;

    private DataSeed() {}

    /** The block whose hash seeds the step at {@code currentBlock}. */
    public static long syncBlock(long currentBlock) {
        if (currentBlock < 0) {
            throw new Pretrain4jException(DomainErrorCode.INVALID_ARGUMENT, "block must be >= 0, got " + currentBlock);
        }
        return currentBlock / SYNC_BLOCK_CADENCE * SYNC_BLOCK_CADENCE;
    }

    /** The seed for a block hash string such as {@code 0x1f2e...}. */
    public static BigInteger fromBlockHash(String blockHashHex) {
        if (blockHashHex == null || !blockHashHex.matches("0x[0-9a-fA-F]{1,128}")) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT,
                    "block hash must be '0x' followed by hex digits, got '" + blockHashHex + "'");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blockHashHex.getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
