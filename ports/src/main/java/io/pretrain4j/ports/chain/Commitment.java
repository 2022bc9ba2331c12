package io.pretrain4j.ports.chain;

import static java.util.Objects.requireNonNull;

/**
 * A hotkey's commitment: the model id string a miner put on chain and the block it was made at
 * (which gives the upload's age for epsilon and the evaluation delay). A commitment the chain holds
 * but that cannot be read as text (bytes that are not UTF-8, a hash field instead of raw data, no
 * fields) is still reported, with {@code problem} saying what is wrong, so that a validator rejects
 * that one uid instead of failing the whole scan.
 *
 * @param hotkey who committed
 * @param data the committed text (UTF-8, at most 128 bytes); empty when {@code problem} is set
 * @param block the block of the commitment (0 when even that could not be read)
 * @param problem why the commitment cannot be read, or empty when it can
 */
public record Commitment(String hotkey, String data, long block, String problem) {
    public Commitment {
        requireNonNull(hotkey, "hotkey is null");
        requireNonNull(data, "data is null");
        requireNonNull(problem, "problem is null");
    }

    /** A readable commitment. */
    public Commitment(String hotkey, String data, long block) {
        this(hotkey, data, block, "");
    }

    /** A commitment the chain holds but that cannot be read; {@code problem} says why. */
    public static Commitment unreadable(String hotkey, long block, String problem) {
        if (problem.isEmpty()) {
            throw new IllegalArgumentException("an unreadable commitment needs the reason");
        }
        return new Commitment(hotkey, "", block, problem);
    }

    /** Whether the commitment could be read as text. */
    public boolean readable() {
        return problem.isEmpty();
    }
}
