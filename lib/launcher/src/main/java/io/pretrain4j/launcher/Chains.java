package io.pretrain4j.launcher;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.launcher.config.ChainConfig;
import io.pretrain4j.launcher.config.LauncherConfig;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainFactory;
import io.pretrain4j.ports.chain.Wallets;
import io.pretrain4j.ports.chain.WalletsFactory;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The chain and the wallets chosen by configuration ({@code pretrain4j.chain}, {@code pretrain4j.wallets}). */
public final class Chains {
    private final ChainConfig config;
    private final Map<String, ChainFactory> chains;
    private final Map<String, WalletsFactory> wallets;

    @Inject
    public Chains(LauncherConfig config, Map<String, ChainFactory> chains, Map<String, WalletsFactory> wallets) {
        this.config = requireNonNull(config, "config is null").chain();
        this.chains = Map.copyOf(chains);
        this.wallets = Map.copyOf(wallets);
    }

    /** Opens the chain; the caller closes it. */
    public Chain chain() {
        return open(config.backendConfig());
    }

    /**
     * Opens the chain for an app whose state lives in {@code stateDir} (the validator): the subtensor
     * chain keeps its pending weight commits (hash salts) in {@code <stateDir>/subtensor} unless its
     * section sets {@code state-dir}. Other apps open the chain without one, and so never load the
     * validator's commits. The caller closes it.
     */
    public Chain chain(Path stateDir) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (config.backend().equals("subtensor")) {
            keys.put("state-dir", stateDir.resolve("subtensor").toString());
        }
        keys.putAll(config.backendConfig());
        return open(keys);
    }

    private Chain open(Map<String, String> keys) {
        return FactoriesModule.choose(FactoryKind.CHAIN, chains, config.backend())
                .create(keys);
    }

    /** The wallets, with {@code path} overriding the configured one when given. */
    public Wallets wallets(Optional<Path> path) {
        Map<String, String> keys = new LinkedHashMap<>(config.walletsConfig());
        path.ifPresent(p -> keys.put("path", p.toString()));
        return FactoriesModule.choose(FactoryKind.WALLETS, wallets, config.wallets())
                .create(keys);
    }
}
