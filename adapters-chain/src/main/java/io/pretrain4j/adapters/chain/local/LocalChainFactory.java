package io.pretrain4j.adapters.chain.local;

import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainFactory;
import java.util.Map;

/** {@code local}: a persistent chain in a directory. Its keys and defaults: {@link LocalChainConfig}. */
public final class LocalChainFactory implements ChainFactory {
    /** The factory's name. */
    public static final String NAME = "local";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Chain create(Map<String, String> config) {
        LocalChainConfig settings = LocalChainConfig.from(config, System.currentTimeMillis());
        return LocalChain.open(settings.dir(), settings.rules());
    }

    @Override
    public Map<String, String> defaults() {
        return LocalChainConfig.DEFAULTS;
    }
}
