package io.pretrain4j.plugins.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.hash.ModelHashes;
import io.pretrain4j.ports.store.LocalModelStore;
import io.pretrain4j.ports.store.ModelKey;
import io.pretrain4j.ports.store.StoredModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link LocalModelStore} must do, as a JUnit 5 suite: extend it and implement
 * {@link #createStore(Path)}. Models come from the testkit's {@link DirectoryRemoteStore}.
 */
public abstract class LocalModelStoreContract {
    private static final String HOTKEY = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
    private static final String COMMIT_A = "a".repeat(40);
    private static final String COMMIT_B = "b".repeat(40);
    private static final String COMMIT_C = "c".repeat(40);

    /** A store rooted at {@code root}. */
    protected abstract LocalModelStore createStore(Path root);

    @TempDir
    Path work;

    private DirectoryRemoteStore remote() {
        DirectoryRemoteStore remote = new DirectoryRemoteStore();
        remote.put("miner/model", COMMIT_A, TestModels.write(work.resolve("a"), 1));
        remote.put("miner/model", COMMIT_B, TestModels.write(work.resolve("b"), 2));
        remote.put("other/model", COMMIT_C, TestModels.write(work.resolve("c"), 3));
        return remote;
    }

    @Test
    void fetchStoresTheModelFilesInTheReferenceLayoutWithTheirHash() {
        LocalModelStore store = createStore(work.resolve("store"));
        ModelKey key = new ModelKey(HOTKEY, "miner/model", COMMIT_A);
        StoredModel stored = store.fetch(key, remote(), Long.MAX_VALUE);
        assertThat(stored.directory())
                .isEqualTo(store.root()
                        .resolve("models")
                        .resolve(HOTKEY)
                        .resolve("models--miner--model")
                        .resolve("snapshots")
                        .resolve(COMMIT_A));
        assertThat(stored.hash())
                .isEqualTo(ModelHashes.directoryHash(stored.directory()))
                .isEqualTo(ModelHashes.directoryHash(
                        TestModels.modelFilesOnly(work.resolve("a"), work.resolve("a-files"))));
        assertThat(store.find(key)).contains(stored);
        assertThat(createStore(work.resolve("store")).find(key))
                .as("a new instance sees it")
                .contains(stored);
    }

    @Test
    void aStoredModelIsNotDownloadedAgainAndConcurrentFetchesShareOneDownload() throws Exception {
        LocalModelStore store = createStore(work.resolve("store"));
        DirectoryRemoteStore remote = remote();
        ModelKey key = new ModelKey(HOTKEY, "miner/model", COMMIT_A);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<StoredModel>> results = pool.invokeAll(List.of(
                    () -> store.fetch(key, remote, Long.MAX_VALUE),
                    () -> store.fetch(key, remote, Long.MAX_VALUE),
                    () -> store.fetch(key, remote, Long.MAX_VALUE)));
            for (Future<StoredModel> result : results) {
                assertThat(result.get().hash()).isEqualTo(results.get(0).get().hash());
            }
        }
        store.fetch(key, remote, Long.MAX_VALUE);
        assertThat(remote.downloads()).isEqualTo(1);
    }

    @Test
    void aFailedDownloadLeavesNoModelBehind() {
        LocalModelStore store = createStore(work.resolve("store"));
        DirectoryRemoteStore remote = remote();
        remote.failAfterFirstFile(true);
        ModelKey key = new ModelKey(HOTKEY, "miner/model", COMMIT_A);
        assertThatThrownBy(() -> store.fetch(key, remote, Long.MAX_VALUE)).isInstanceOf(Pretrain4jException.class);
        assertThat(store.find(key)).isEmpty();
        assertThat(Files.exists(store.root()
                        .resolve("models")
                        .resolve(HOTKEY)
                        .resolve("models--miner--model")
                        .resolve("snapshots")
                        .resolve(COMMIT_A)))
                .isFalse();
        remote.failAfterFirstFile(false);
        assertThat(store.fetch(key, remote, Long.MAX_VALUE).directory()).isDirectory();
    }

    @Test
    void theCleanerKeepsReferencedLeasedAndRecentModels() {
        LocalModelStore store = createStore(work.resolve("store"));
        DirectoryRemoteStore remote = remote();
        ModelKey a = new ModelKey(HOTKEY, "miner/model", COMMIT_A);
        ModelKey b = new ModelKey(HOTKEY, "miner/model", COMMIT_B);
        ModelKey c = new ModelKey(HOTKEY, "other/model", COMMIT_C);
        for (ModelKey key : List.of(a, b, c)) {
            store.fetch(key, remote, Long.MAX_VALUE);
        }
        assertThat(store.clean(Set.of(a), Duration.ofHours(1)).deleted())
                .as("all within the grace period")
                .isEmpty();
        try (LocalModelStore.Lease lease = store.lease(b)) {
            LocalModelStore.CleanReport report = store.clean(Set.of(a), Duration.ZERO);
            assertThat(report.deleted()).containsExactly(c);
            assertThat(report.freedBytes()).isPositive();
            assertThat(store.find(b)).as("leased: being evaluated").isPresent();
        }
        assertThat(store.clean(Set.of(a), Duration.ZERO).deleted()).containsExactly(b);
        assertThat(store.find(a)).isPresent();
        assertThat(store.find(c)).isEmpty();
    }

    @Test
    void usageCountsModelsAndBytes() {
        LocalModelStore store = createStore(work.resolve("store"));
        StoredModel stored = store.fetch(new ModelKey(HOTKEY, "miner/model", COMMIT_A), remote(), Long.MAX_VALUE);
        LocalModelStore.DiskUsage usage = store.usage();
        assertThat(usage.models()).isEqualTo(1);
        assertThat(usage.modelBytes()).isEqualTo(stored.bytes()).isPositive();
        assertThat(usage.freeBytes()).isPositive();
    }

    @Test
    void tooLargeModelsAreRefused() {
        LocalModelStore store = createStore(work.resolve("store"));
        assertThatThrownBy(() -> store.fetch(new ModelKey(HOTKEY, "miner/model", COMMIT_A), remote(), 10))
                .hasMessageContaining("too large");
        assertThat(store.usage().models()).isZero();
    }
}
