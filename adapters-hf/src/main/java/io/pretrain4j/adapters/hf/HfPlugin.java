package io.pretrain4j.adapters.hf;

import io.pretrain4j.adapters.hf.disk.DiskModelStoreFactory;
import io.pretrain4j.adapters.hf.hub.HfHubStoreFactory;
import io.pretrain4j.adapters.hf.localhub.LocalHubStoreFactory;
import io.pretrain4j.ports.spi.Plugin;
import io.pretrain4j.ports.store.LocalModelStoreFactory;
import io.pretrain4j.ports.store.RemoteModelStoreFactory;
import java.util.List;

/** Contributes the {@code disk} local store and the {@code hf} and {@code local-hub} remote stores. */
public final class HfPlugin implements Plugin {
    @Override
    public String name() {
        return "hf";
    }

    @Override
    public List<RemoteModelStoreFactory> remoteModelStoreFactories() {
        return List.of(new HfHubStoreFactory(), new LocalHubStoreFactory());
    }

    @Override
    public List<LocalModelStoreFactory> localModelStoreFactories() {
        return List.of(new DiskModelStoreFactory());
    }
}
