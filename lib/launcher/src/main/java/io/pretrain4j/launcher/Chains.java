package io.pretrain4j.launcher;

import com.google.inject.Injector;
import io.pretrain4j.launcher.config.ChainConfig;
import io.pretrain4j.launcher.config.ValidatorConfig;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.plugins.host.PluginRegistry;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.Wallets;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The chain and the wallets chosen by configuration ({@code pretrain4j.chain}, {@code pretrain4j.wallets}). */
public final class Chains {
    private final ChainConfig config;
    private final PluginRegistry registry;

    public Chains(ValidatorConfig config, PluginRegistry registry) {
        this.config = requireNonNull(config, "config is null").chain();
        this.registry = requireNonNull(registry, "registry is null");
    }

    /** From the injector of an optional config file. */
    public static Chains load(Optional<Path> configFile) {
        Injector injector = Bootstrap.injector(configFile);
        return new Chains(injector.getInstance(ValidatorConfig.class), injector.getInstance(PluginRegistry.class));
    }

    /** Opens the chain; the caller closes it. */
    public Chain chain() {
        return registry.factory(FactoryKind.CHAIN, config.backend()).create(config.backendConfig());
    }

    /** The wallets, with {@code path} overriding the configured one when given. */
    public Wallets wallets(Optional<Path> path) {
        Map<String, String> keys = new LinkedHashMap<>(config.walletsConfig());
        path.ifPresent(p -> keys.put("path", p.toString()));
        return registry.factory(FactoryKind.WALLETS, config.wallets()).create(keys);
    }
}
