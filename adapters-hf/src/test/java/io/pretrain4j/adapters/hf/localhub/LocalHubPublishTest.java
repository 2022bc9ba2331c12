package io.pretrain4j.adapters.hf.localhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.pretrain4j.plugins.testkit.store.TestModels;
import io.pretrain4j.ports.store.RemoteModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalHubPublishTest {
    /** Issue 20: a publisher killed mid-copy left a .publish-* folder (52 MB each) in the repo for ever. */
    @Test
    void theNextPublishRemovesWhatAnInterruptedOneLeftAndPublishingAgainIsTheSameCommit(@TempDir Path dir)
            throws Exception {
        Path model = TestModels.write(dir.resolve("model"), 3);
        Path repo = dir.resolve("hub/miner/tiny");
        Files.createDirectories(repo.resolve(".publish-123456"));
        Files.write(repo.resolve(".publish-123456/model.safetensors"), new byte[1 << 20]);
        Files.writeString(repo.resolve(".manifest-99.tmp"), "half");
        try (RemoteModelStore store = new LocalHubStoreFactory()
                .create(Map.of("root", dir.resolve("hub").toString()))) {
            String first = store.publish("miner/tiny", model, false);
            String again = store.publish("miner/tiny", model, false);
            assertThat(again).isEqualTo(first);
            assertThat(store.info("miner/tiny", first).files()).isNotEmpty();
        }
        try (Stream<Path> listing = Files.list(repo)) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.startsWith(".publish-") || name.endsWith(".tmp"));
        }
    }
}
