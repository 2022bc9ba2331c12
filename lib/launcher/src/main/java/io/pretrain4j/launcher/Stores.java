package io.pretrain4j.launcher;

import com.google.inject.Injector;
import io.pretrain4j.launcher.config.StoreConfig;
import io.pretrain4j.launcher.config.ValidatorConfig;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.plugins.host.PluginRegistry;
import io.pretrain4j.ports.store.LocalModelStore;
import io.pretrain4j.ports.store.RemoteModelStore;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The local and remote model stores chosen by configuration ({@code pretrain4j.store}). */
public final class Stores {
    private final StoreConfig config;
    private final PluginRegistry registry;

    public Stores(ValidatorConfig config, PluginRegistry registry) {
        this.config = requireNonNull(config, "config is null").store();
        this.registry = requireNonNull(registry, "registry is null");
    }

    /** From the injector of an optional config file. */
    public static Stores load(Optional<Path> configFile) {
        Injector injector = Bootstrap.injector(configFile);
        return new Stores(injector.getInstance(ValidatorConfig.class), injector.getInstance(PluginRegistry.class));
    }

    /** The local store ({@code store.local}). */
    public LocalModelStore local() {
        return registry.factory(FactoryKind.LOCAL_MODEL_STORE, config.local()).create(config.localConfig());
    }

    /** The remote store ({@code store.remote}); the caller closes it. */
    public RemoteModelStore remote() {
        return registry.factory(FactoryKind.REMOTE_MODEL_STORE, config.remote()).create(config.remoteConfig());
    }
}
