package io.pretrain4j.adapters.chain.subtensor;

import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainFactory;
import java.security.SecureRandom;
import java.util.Map;

/** Creates {@code subtensor} chains. Their keys and defaults: {@link SubtensorConfig}. */
public final class SubtensorChainFactory implements ChainFactory {
    /** The factory name. */
    public static final String NAME = "subtensor";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Chain create(Map<String, String> config) {
        SubtensorConfig settings = SubtensorConfig.from(config);
        if (!settings.quicknet()) {
            System.getLogger(SubtensorChainFactory.class.getName())
                    .log(
                            System.Logger.Level.WARNING,
                            "drand-key is not quicknet''s: timelocked weight commits are encrypted to a beacon no real "
                                    + "subtensor network follows (a test network only)");
        }
        CommitReveal.Settings commitReveal = new CommitReveal.Settings(
                settings.hashCommits() ? CommitReveal.Mode.HASH : CommitReveal.Mode.AUTO,
                settings.commitsFile().orElse(null),
                () -> System.currentTimeMillis() / 1000.0,
                settings.drandKey(),
                new SecureRandom());
        return new SubtensorChain(
                new JsonRpcClient(settings.endpoint(), settings.timeout(), settings.connectAttempts()),
                settings.netuid(),
                settings.eraPeriod(),
                settings.inclusionTimeout(),
                commitReveal,
                settings.revealPoll());
    }

    @Override
    public Map<String, String> defaults() {
        return SubtensorConfig.DEFAULTS;
    }
}
