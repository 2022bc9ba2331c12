package io.pretrain4j.domain.data;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.random.MersenneTwister;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * How the reference turns documents into evaluation windows: every document's tokens followed by
 * one EOS, concatenated (documents straddle windows), cut into consecutive windows of the sequence
 * length with the tail dropped; then the windows are shuffled with {@code random.Random(seed)} and
 * the first {@value #MAX_WINDOWS_PER_DATASET} kept.
 */
public final class Packing {
    /** The reference's {@code MAX_BATCHES_PER_DATASET} (batch size 1, so windows). */
    public static final int MAX_WINDOWS_PER_DATASET = 50;

    private Packing() {}

    /** Appends one document's tokens and one EOS to {@code buffer}. */
    public static void appendDocument(TokenBuffer buffer, int[] documentTokens, int eosTokenId) {
        buffer.add(documentTokens);
        buffer.add(eosTokenId);
    }

    /** Cuts the concatenated tokens into windows of {@code sequenceLength}; the tail is dropped. */
    public static List<int[]> windows(TokenBuffer buffer, int sequenceLength) {
        if (sequenceLength <= 0) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT, "sequence length must be > 0, got " + sequenceLength);
        }
        int count = buffer.size() / sequenceLength;
        List<int[]> windows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            windows.add(buffer.copyOfRange(i * sequenceLength, (i + 1) * sequenceLength));
        }
        return windows;
    }

    /**
     * The reference's {@code pack_samples=False}: each document (without its EOS) padded with EOS to
     * a multiple of the sequence length (a document of an exact multiple gets no EOS), then cut.
     */
    public static List<int[]> unpackedWindows(List<int[]> documents, int eosTokenId, int sequenceLength) {
        TokenBuffer padded = new TokenBuffer(1024);
        for (int[] document : documents) {
            padded.add(document);
            int pad = (sequenceLength - document.length % sequenceLength) % sequenceLength;
            for (int i = 0; i < pad; i++) {
                padded.add(eosTokenId);
            }
        }
        return windows(padded, sequenceLength);
    }

    /** {@code random.Random(seed).shuffle(windows)}, then the first {@code max}. */
    public static List<int[]> shuffleAndLimit(List<int[]> windows, BigInteger seed, int max) {
        if (max <= 0) {
            throw new Pretrain4jException(DomainErrorCode.INVALID_ARGUMENT, "window limit must be > 0, got " + max);
        }
        List<int[]> shuffled = new ArrayList<>(windows);
        MersenneTwister.seeded(seed).shuffle(shuffled);
        return List.copyOf(shuffled.subList(0, Math.min(max, shuffled.size())));
    }

    /**
     * The SHA-256 of windows as validators compare them: every token as a 32-bit little-endian
     * integer, window after window, in order; lower-case hex.
     */
    public static String sha256(List<int[]> windows) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        ByteBuffer bytes = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] window : windows) {
            for (int token : window) {
                if (!bytes.hasRemaining()) {
                    digest.update(bytes.array(), 0, bytes.position());
                    bytes.clear();
                }
                bytes.putInt(token);
            }
        }
        digest.update(bytes.array(), 0, bytes.position());
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Whether two window lists hold the same tokens. */
    public static boolean sameWindows(List<int[]> a, List<int[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
