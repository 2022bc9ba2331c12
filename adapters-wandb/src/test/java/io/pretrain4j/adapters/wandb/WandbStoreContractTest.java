package io.pretrain4j.adapters.wandb;

import io.pretrain4j.plugins.testkit.store.RemoteModelStoreContract;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.testing.fakes.FakeWandb;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The store contract for {@code wandb} against the loopback W&amp;B, with an API key required. */
class WandbStoreContractTest extends RemoteModelStoreContract {
    private FakeWandb wandb;

    @Override
    protected RemoteModelStore createStore() {
        try {
            wandb = FakeWandb.start(Files.createTempDirectory("fake-wandb"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        wandb.requireApiKey("contract-key-0123456789");
        return new WandbModelStoreFactory()
                .create(Map.of(
                        "base-url",
                        wandb.endpoint().toString(),
                        "api-key",
                        "contract-key-0123456789",
                        "retry-delay",
                        "10ms"));
    }

    @AfterAll
    void stopWandb() {
        if (wandb != null) {
            wandb.close();
        }
    }
}
