package io.pretrain4j.ports.chain;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A subnet on a chain, as validators and miners use it. Reads are cheap; writes apply the chain's
 * rules (registration, commitment size and rate limit, validator permit, version key, weights rate
 * limit) and fail with a {@link ChainErrorCode} naming the rule. Implementations are thread-safe.
 */
public interface Chain extends AutoCloseable {
    /** Describes the chain, e.g. {@code local:/srv/chain (netuid 9)}. */
    String id();

    /** The subnet's netuid. */
    int netuid();

    /** The current block number. */
    long currentBlock();

    /** The hash of block {@code block} as the node returns it ({@code 0x} + 64 hex). */
    String blockHash(long block);

    /** The subnet's neurons now. */
    Metagraph metagraph();

    /** The hotkey's current commitment. */
    Optional<Commitment> commitment(String hotkey);

    /** Every hotkey's current commitment. */
    Map<String, Commitment> commitments();

    /** The weights the hotkey last set. */
    Optional<WeightsSet> weights(String hotkey);

    /** Commits {@code data} (UTF-8, at most 128 bytes) for {@code hotkey}; returns the block it landed in. */
    long commit(Hotkey hotkey, String data);

    /**
     * Sets weights for {@code uids} (u16 values; the chain scales them so the largest is 65535) with
     * the validator's {@code versionKey}; returns the block it landed in. On a subnet with
     * commit-reveal weights this is the block of the commit: the weights take effect when the reveal
     * epoch comes (revealed by the chain, or by this chain object for hash commits).
     */
    long setWeights(Hotkey hotkey, List<Integer> uids, List<Integer> weights, long versionKey);

    /**
     * Names the hotkey this process writes with, at start. A chain that must act later on its own
     * (reveal a weight commit in a later epoch, even after a restart) signs with it; others ignore it.
     */
    default void writesAs(Hotkey hotkey) {}

    @Override
    default void close() {}
}
