package io.pretrain4j.launcher;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.launcher.config.LauncherConfig;
import io.pretrain4j.launcher.config.StoreConfig;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.ports.store.LocalModelStore;
import io.pretrain4j.ports.store.LocalModelStoreFactory;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.RemoteModelStoreFactory;
import jakarta.inject.Inject;
import java.util.Map;

/** The local and remote model stores chosen by configuration ({@code pretrain4j.store}). */
public final class Stores {
    private final StoreConfig config;
    private final Map<String, LocalModelStoreFactory> locals;
    private final Map<String, RemoteModelStoreFactory> remotes;

    @Inject
    public Stores(
            LauncherConfig config,
            Map<String, LocalModelStoreFactory> locals,
            Map<String, RemoteModelStoreFactory> remotes) {
        this.config = requireNonNull(config, "config is null").store();
        this.locals = Map.copyOf(locals);
        this.remotes = Map.copyOf(remotes);
    }

    /** The local store ({@code store.local}). */
    public LocalModelStore local() {
        return FactoriesModule.choose(FactoryKind.LOCAL_MODEL_STORE, locals, config.local())
                .create(config.localConfig());
    }

    /** The remote store ({@code store.remote}); the caller closes it. */
    public RemoteModelStore remote() {
        return FactoriesModule.choose(FactoryKind.REMOTE_MODEL_STORE, remotes, config.remote())
                .create(config.remoteConfig());
    }
}
