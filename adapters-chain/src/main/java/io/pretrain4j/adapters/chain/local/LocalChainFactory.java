package io.pretrain4j.adapters.chain.local;

import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainFactory;
import io.pretrain4j.toolkit.config.FactoryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code local}: keys {@code dir} (default {@code local-chain}); and, used only when the chain is
 * created: {@code block-time} (12s; 0 for blocks on demand only), {@code netuid} (9),
 * {@code commit-rate-limit} (100 blocks), {@code weights-rate-limit} (100), {@code version-key} (0),
 * {@code max-validators} (64), {@code max-uids} (256), {@code name} (local), {@code commit-reveal} (false: weights take
 * effect at once; true: they are committed and the chain reveals them in the epoch {@code reveal-period} (1) epochs
 * later, as mainnet does), {@code tempo} (360 blocks per epoch).
 */
public final class LocalChainFactory implements ChainFactory {
    /** The factory's name. */
    public static final String NAME = "local";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Chain create(Map<String, String> config) {
        FactoryConfig settings = new FactoryConfig(
                NAME,
                config,
                Set.of(
                        "dir",
                        "block-time",
                        "netuid",
                        "commit-rate-limit",
                        "weights-rate-limit",
                        "version-key",
                        "max-validators",
                        "max-uids",
                        "name",
                        "commit-reveal",
                        "tempo",
                        "reveal-period"));
        Path dir = Path.of(settings.string("dir", "local-chain"));
        Duration blockTime =
                settings.duration("block-time", Duration.ofSeconds(12), Duration.ZERO, Duration.ofHours(1));
        Rules rules = new Rules(
                settings.string("name", "local"),
                (int) settings.integer("netuid", 9, 0, 65535),
                System.currentTimeMillis(),
                blockTime.toMillis(),
                settings.integer("commit-rate-limit", 100, 0, 1_000_000),
                settings.integer("weights-rate-limit", 100, 0, 1_000_000),
                settings.integer("version-key", 0, 0, Long.MAX_VALUE),
                (int) settings.integer("max-validators", 64, 1, 4096),
                (int) settings.integer("max-uids", 256, 1, 4096),
                128,
                settings.bool("commit-reveal", false),
                (int) settings.integer("tempo", 360, 1, 65535),
                (int) settings.integer("reveal-period", 1, 1, 100));
        settings.done();
        return LocalChain.open(dir, rules);
    }
}
