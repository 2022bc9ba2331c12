package io.pretrain4j.adapters.chain.local;

import io.pretrain4j.toolkit.config.FactoryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The {@code local} chain's settings: {@code dir}; and, used only when the chain is created:
 * {@code block-time} (0 for blocks on demand only), {@code netuid}, {@code commit-rate-limit} (blocks),
 * {@code weights-rate-limit}, {@code version-key}, {@code max-validators}, {@code max-uids}, {@code name},
 * {@code commit-reveal} (false: weights take effect at once; true: they are committed and the chain reveals
 * them in the epoch {@code reveal-period} epochs later, as mainnet does) and {@code tempo} (blocks per
 * epoch). The defaults are {@link #DEFAULTS}.
 *
 * @param dir where the chain's log lives
 * @param blockTime time per block, zero for blocks on demand
 * @param rules the rules a new chain is created with (its genesis time set when it is)
 */
public record LocalChainConfig(Path dir, Duration blockTime, Rules rules) {
    /** Every default, as written in configuration. */
    public static final Map<String, String> DEFAULTS = FactoryConfig.defaults(
            "dir", "local-chain",
            "block-time", "12s",
            "netuid", "9",
            "commit-rate-limit", "100",
            "weights-rate-limit", "100",
            "version-key", "0",
            "max-validators", "64",
            "max-uids", "256",
            "name", "local",
            "commit-reveal", "false",
            "tempo", "360",
            "reveal-period", "1");

    /** The size limit of a commitment (bytes), not configurable. */
    private static final int MAX_COMMIT_BYTES = 128;

    /** Reads and checks {@code values}, listing every problem at once; a new chain's genesis is {@code genesisMillis}. */
    public static LocalChainConfig from(Map<String, String> values, long genesisMillis) {
        FactoryConfig config =
                new FactoryConfig(LocalChainFactory.NAME, values, DEFAULTS, Set.copyOf(DEFAULTS.keySet()));
        Path dir = Path.of(config.string("dir"));
        Duration blockTime = config.duration("block-time", Duration.ZERO, Duration.ofHours(1));
        Rules rules = new Rules(
                config.string("name"),
                (int) config.integer("netuid", 0, 65535),
                genesisMillis,
                blockTime.toMillis(),
                config.integer("commit-rate-limit", 0, 1_000_000),
                config.integer("weights-rate-limit", 0, 1_000_000),
                config.integer("version-key", 0, Long.MAX_VALUE),
                (int) config.integer("max-validators", 1, 4096),
                (int) config.integer("max-uids", 1, 4096),
                MAX_COMMIT_BYTES,
                config.bool("commit-reveal"),
                (int) config.integer("tempo", 1, 65535),
                (int) config.integer("reveal-period", 1, 100));
        config.done();
        return new LocalChainConfig(dir, blockTime, rules);
    }
}
