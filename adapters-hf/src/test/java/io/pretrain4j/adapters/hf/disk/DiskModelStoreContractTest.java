package io.pretrain4j.adapters.hf.disk;

import io.pretrain4j.plugins.testkit.store.LocalModelStoreContract;
import io.pretrain4j.ports.store.LocalModelStore;
import java.nio.file.Path;
import java.util.Map;

class DiskModelStoreContractTest extends LocalModelStoreContract {
    @Override
    protected LocalModelStore createStore(Path root) {
        return new DiskModelStoreFactory().create(Map.of("root", root.toString()));
    }
}
