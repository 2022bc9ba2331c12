package io.pretrain4j.adapters.wandb;

import io.pretrain4j.ports.runlog.RunLoggerFactory;
import io.pretrain4j.ports.spi.Plugin;
import io.pretrain4j.ports.store.RemoteModelStoreFactory;
import java.util.List;

/** Contributes the {@code wandb} remote model store and the {@code wandb} run logger. */
public final class WandbPlugin implements Plugin {
    @Override
    public String name() {
        return "wandb";
    }

    @Override
    public List<RemoteModelStoreFactory> remoteModelStoreFactories() {
        return List.of(new WandbModelStoreFactory());
    }

    @Override
    public List<RunLoggerFactory> runLoggerFactories() {
        return List.of(new WandbRunLoggerFactory());
    }
}
