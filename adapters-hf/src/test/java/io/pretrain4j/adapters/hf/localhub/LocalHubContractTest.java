package io.pretrain4j.adapters.hf.localhub;

import io.pretrain4j.plugins.testkit.store.RemoteModelStoreContract;
import io.pretrain4j.ports.store.RemoteModelStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

class LocalHubContractTest extends RemoteModelStoreContract {
    @TempDir
    static Path hub;

    @Override
    protected RemoteModelStore createStore() {
        return new LocalHubStoreFactory().create(Map.of("root", hub.toString()));
    }
}
