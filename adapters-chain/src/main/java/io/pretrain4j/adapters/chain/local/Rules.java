package io.pretrain4j.adapters.chain.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
record Rules(
        String name,
        int netuid,
        long genesisMillis,
        long blockMillis,
        long commitRateLimit,
        long weightsRateLimit,
        long versionKey,
        int maxValidators,
        int maxUids,
        int maxCommitBytes,
        boolean commitReveal,
        int tempo,
        int revealPeriod) {
    /** The log's first entry: these rules, into {@code entry}. */
    ObjectNode genesis(ObjectNode entry) {
        return entry.put("t", "genesis")
                .put("name", name)
                .put("netuid", netuid)
                .put("genesisMillis", genesisMillis)
                .put("blockMillis", blockMillis)
                .put("commitRateLimit", commitRateLimit)
                .put("weightsRateLimit", weightsRateLimit)
                .put("versionKey", versionKey)
                .put("maxValidators", maxValidators)
                .put("maxUids", maxUids)
                .put("maxCommitBytes", maxCommitBytes)
                .put("commitReveal", commitReveal)
                .put("tempo", tempo)
                .put("revealPeriod", revealPeriod)
                .put("block", 0);
    }

    /** The rules of a genesis entry (logs written before commit-reveal existed have it off). */
    static Rules fromGenesis(JsonNode entry) {
        return new Rules(
                entry.path("name").asText(),
                entry.path("netuid").asInt(),
                entry.path("genesisMillis").asLong(),
                entry.path("blockMillis").asLong(),
                entry.path("commitRateLimit").asLong(),
                entry.path("weightsRateLimit").asLong(),
                entry.path("versionKey").asLong(),
                entry.path("maxValidators").asInt(),
                entry.path("maxUids").asInt(),
                entry.path("maxCommitBytes").asInt(),
                entry.path("commitReveal").asBoolean(false),
                entry.path("tempo").asInt(360),
                entry.path("revealPeriod").asInt(1));
    }

    /** The epoch a commit in {@code block} is filed under. */
    long epoch(long block) {
        return (block + netuid + 1) / (tempo + 1L);
    }

    /** The first block of epoch {@code epoch}. */
    long firstBlock(long epoch) {
        return Math.max(0, epoch * (tempo + 1L) - (netuid + 1L));
    }
}
