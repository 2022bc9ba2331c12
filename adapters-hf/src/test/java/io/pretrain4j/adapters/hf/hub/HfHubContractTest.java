package io.pretrain4j.adapters.hf.hub;

import io.pretrain4j.plugins.testkit.store.RemoteModelStoreContract;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.testing.fakes.FakeHub;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/** The remote store contract for {@code hf} against the loopback Hub, with a token required. */
class HfHubContractTest extends RemoteModelStoreContract {
    @TempDir
    static Path objects;

    private FakeHub hub;

    @Override
    protected RemoteModelStore createStore() {
        hub = FakeHub.start(objects);
        hub.requireToken("hf_contract");
        return new HfHubStoreFactory()
                .create(Map.of("endpoint", hub.endpoint().toString(), "token", "hf_contract", "retry-delay", "10ms"));
    }

    @AfterAll
    void stopHub() {
        hub.close();
    }
}
