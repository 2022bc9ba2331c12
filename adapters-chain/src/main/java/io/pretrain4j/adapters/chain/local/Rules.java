package io.pretrain4j.adapters.chain.local;

/**
 * The local chain's parameters, fixed at genesis and stored in the log's first entry.
 *
 * @param name the chain's name (block hashes derive from it)
 * @param netuid the subnet
 * @param genesisMillis wall-clock time of block 0
 * @param blockMillis block time; 0 means blocks advance only on demand
 * @param commitRateLimit blocks between two commitments of a hotkey
 * @param weightsRateLimit blocks between two set_weights of a validator (and after its registration)
 * @param versionKey the subnet's weights version key (0: no check)
 * @param maxValidators how many of the highest-staked neurons hold a validator permit
 * @param maxUids subnet size
 * @param maxCommitBytes commitment size limit
 * @param commitReveal whether weights are committed and revealed by the chain an epoch later, as on
 *     today's mainnet (timelocked commit-reveal), instead of taking effect at once
 * @param tempo blocks per epoch (epoch of block b: {@code (b + netuid + 1) / (tempo + 1)}, subtensor's formula)
 * @param revealPeriod epochs between a commit and its reveal
 */
record Rules(String name, int netuid, long genesisMillis, long blockMillis, long commitRateLimit, long weightsRateLimit, long versionKey,
        int maxValidators, int maxUids, int maxCommitBytes, boolean commitReveal, int tempo, int revealPeriod) {
    /** The epoch a commit in {@code block} is filed under. */
    long epoch(long block) {
        return (block + netuid + 1) / (tempo + 1L);
    }

    /** The first block of epoch {@code epoch}. */
    long firstBlock(long epoch) {
        return Math.max(0, epoch * (tempo + 1L) - (netuid + 1L));
    }
}
