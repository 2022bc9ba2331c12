package io.pretrain4j.adapters.hf.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.adapters.hf.disk.DiskModelStoreFactory;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.hash.ModelHashes;
import io.pretrain4j.plugins.testkit.store.TestModels;
import io.pretrain4j.ports.store.LocalModelStore;
import io.pretrain4j.ports.store.ModelKey;
import io.pretrain4j.ports.store.ModelStoreErrorCode;
import io.pretrain4j.ports.store.StoredModel;
import io.pretrain4j.testing.fakes.FakeHub;
import io.pretrain4j.testing.fakes.FakeHub.Fault;
import io.pretrain4j.toolkit.http.HttpConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload with {@code hf}, download by commit into the {@code disk} store, and every fault the
 * loopback Hub can play: each ends in a verified model or a clear error, never a partial snapshot.
 */
class HfRoundTripFaultTest {
    private static final String HOTKEY = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
    private static final String REPO = "miner7/tiny-gpt2";

    @TempDir
    Path work;

    private FakeHub hub;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private HfHubStore store;
    private LocalModelStore disk;
    private Path source;
    private String commit;

    @BeforeEach
    void publish() {
        hub = FakeHub.start(work.resolve("hub"));
        hub.requireToken("hf_SeCrEt");
        store = store(4, Duration.ofSeconds(5));
        disk = new DiskModelStoreFactory()
                .create(Map.of("root", work.resolve("store").toString()));
        source = TestModels.write(work.resolve("model"), 7);
        commit = store.publish(REPO, source, true);
        store.setPrivate(REPO, false);
        hub.reset();
    }

    @AfterEach
    void stop() {
        store.close();
        hub.close();
    }

    /**
     * Issue 20: a server (or proxy) that echoes the Authorization header into its error body put
     * the token in plain text into every message and log line about the failure, and into the
     * validator's state as the rejection reason.
     */
    @Test
    void aServerEchoingTheTokenNeverGetsItIntoAMessage() {
        try (io.pretrain4j.ports.store.RemoteModelStore configured = new HfHubStoreFactory()
                .create(Map.of(
                        "endpoint",
                        hub.endpoint().toString(),
                        "token",
                        "hf_SeCrEt",
                        "attempts",
                        "2",
                        "retry-delay",
                        "10ms"))) {
            hub.enqueue(new Fault.EchoHeaders(502), 2);
            assertThatThrownBy(() -> configured.info(REPO, commit))
                    .isInstanceOfSatisfying(Pretrain4jException.class, e -> {
                        assertThat(e.getMessage())
                                .contains("HTTP 502")
                                .contains("Authorization: <redacted>")
                                .doesNotContain("SeCrEt");
                        assertThat(hub.requests())
                                .anySatisfy(r -> assertThat(r.authorization()).contains("Bearer hf_SeCrEt"));
                    });
        }
    }

    private HfHubStore store(int attempts, Duration readTimeout) {
        return new HfHubStore(new HubHttp(
                new HttpConfig(
                        hub.endpoint(),
                        Optional.of("hf_SeCrEt"),
                        Duration.ofSeconds(5),
                        readTimeout,
                        1,
                        attempts,
                        Duration.ofMillis(10),
                        Duration.ofSeconds(30)),
                waits::add));
    }

    private ModelKey key() {
        return new ModelKey(HOTKEY, REPO, commit);
    }

    private String uploaderHash() {
        return ModelHashes.directoryHash(
                TestModels.modelFilesOnly(source, work.resolve("expected-" + System.nanoTime())));
    }

    private Path snapshot() {
        return disk.root()
                .resolve("models")
                .resolve(HOTKEY)
                .resolve("models--miner7--tiny-gpt2")
                .resolve("snapshots")
                .resolve(commit);
    }

    private List<FakeHub.Request> cdnRequests() {
        return hub.requests().stream().filter(r -> r.path().startsWith("/cdn/")).toList();
    }

    @Test
    void roundTripGivesTheUploadersHash() {
        StoredModel stored = disk.fetch(key(), store, 1L << 30);
        assertThat(stored.hash()).isEqualTo(uploaderHash());
        assertThat(stored.directory()).isEqualTo(snapshot());
        assertThat(ModelHashes.secureHash(stored.hash(), HOTKEY)).hasSize(44);
        assertThat(hub.requests())
                .filteredOn(r -> !r.storage())
                .allSatisfy(r -> assertThat(r.authorization()).contains("Bearer hf_SeCrEt"));
        assertThat(hub.requests())
                .filteredOn(FakeHub.Request::storage)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization())
                        .as("the token never goes to the storage origin")
                        .isEmpty());
    }

    @Test
    void theTokenNeverReachesTheStorageOriginWhenUploadingInOneOrManyParts() {
        store.publish(REPO, TestModels.write(work.resolve("v3"), 9), false);
        hub.multipartAbove(4096);
        store.publish(REPO, TestModels.write(work.resolve("v4"), 10), false);
        List<FakeHub.Request> storage =
                hub.requests().stream().filter(FakeHub.Request::storage).toList();
        assertThat(storage)
                .extracting(FakeHub.Request::path)
                .anyMatch(p -> p.startsWith("/lfs-upload/"))
                .anyMatch(p -> p.startsWith("/lfs-part/"));
        assertThat(storage).allSatisfy(r -> assertThat(r.authorization()).isEmpty());
        assertThat(hub.requests())
                .filteredOn(
                        r -> r.path().startsWith("/lfs-complete/") || r.path().startsWith("/lfs-verify/"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.storage()).isFalse());
    }

    @Test
    void theBatchAnswersUploadHeadersAreNotCopiedOntoThePut() {
        // a header map with names an HTTP client must set itself: copying them made java.net.http throw
        hub.uploadActionHeaders(Map.of("Host", "storage.example", "Content-Length", "1", "X-Amz-Meta", "x"));
        String published = store.publish(REPO, TestModels.write(work.resolve("v5"), 11), false);
        assertThat(disk.fetch(new ModelKey(HOTKEY, REPO, published), store, 1L << 30)
                        .hash())
                .isEqualTo(ModelHashes.directoryHash(
                        TestModels.modelFilesOnly(work.resolve("v5"), work.resolve("v5-files"))));
    }

    @Test
    void theFakeAnswersHeadBoundedRangesAndRevisionHeadAsTheHubDoes() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.URI config = java.net.URI.create(hub.endpoint() + "/" + REPO + "/resolve/HEAD/config.json");
        var head = client.send(
                java.net.http.HttpRequest.newBuilder(config)
                        .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                        .header("Authorization", "Bearer hf_SeCrEt")
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("X-Repo-Commit")).contains(commit);
        long size = Files.size(source.resolve("config.json"));
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(size);
        var lfs = client.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                hub.endpoint() + "/" + REPO + "/resolve/" + commit + "/model.safetensors"))
                        .header("Authorization", "Bearer hf_SeCrEt")
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(lfs.statusCode()).isEqualTo(302);
        String location = lfs.headers().firstValue("Location").orElseThrow();
        assertThat(java.net.URI.create(location).getHost())
                .as("the CDN is another host")
                .isNotEqualTo(hub.endpoint().getHost());
        var part = client.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(location))
                        .header("Range", "bytes=10-19")
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        byte[] whole = Files.readAllBytes(source.resolve("model.safetensors"));
        assertThat(part.headers().firstValue("Content-Range")).contains("bytes 10-19/" + whole.length);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(whole, 10, 20));
    }

    @Test
    void filesTheHubSaysToIgnoreAreNeitherUploadedNorCommitted() {
        hub.ignorePaths(java.util.Set.of("config.json"));
        String published = store.publish("miner7/ignore-test", TestModels.write(work.resolve("v6"), 12), false);
        assertThat(store.info(new ModelKey(HOTKEY, "miner7/ignore-test", published))
                        .files())
                .extracting(f -> f.name())
                .doesNotContain("config.json")
                .contains("model.safetensors");
    }

    @Test
    void aCutTransferResumesWithARangeAndVerifies() {
        long cut = 1500;
        hub.enqueueTransfer(new Fault.CutAfter(cut), 1);
        StoredModel stored = disk.fetch(key(), store, 1L << 30);
        assertThat(stored.hash()).isEqualTo(uploaderHash());
        assertThat(cdnRequests()).hasSize(2);
        assertThat(cdnRequests().get(1).range()).contains("bytes=" + cut + "-");
    }

    @Test
    void aCutThatOutlastsTheAttemptsKeepsThePartForTheNextFetch() throws IOException {
        try (HfHubStore oneShot = store(1, Duration.ofSeconds(5))) {
            hub.enqueueTransfer(new Fault.CutAfter(1000), 1);
            assertThatThrownBy(() -> disk.fetch(key(), oneShot, 1L << 30))
                    .isInstanceOf(Pretrain4jException.class)
                    .hasMessageContaining("giving up after 1 attempts")
                    .hasMessageContaining("1000 bytes kept in model.safetensors.incomplete");
        }
        assertThat(snapshot()).doesNotExist();
        Path part = snapshot()
                .getParent()
                .getParent()
                .resolve(".staging")
                .resolve(commit)
                .resolve("model.safetensors.incomplete");
        assertThat(Files.size(part)).isEqualTo(1000);
        assertThat(disk.usage().stagingBytes()).isGreaterThanOrEqualTo(1000);
        hub.reset();
        StoredModel stored = disk.fetch(key(), store, 1L << 30);
        assertThat(stored.hash()).isEqualTo(uploaderHash());
        assertThat(cdnRequests())
                .singleElement()
                .satisfies(r -> assertThat(r.range()).contains("bytes=1000-"));
        assertThat(disk.usage().stagingBytes()).isZero();
    }

    @Test
    void aCorruptBodyIsDownloadedAgainAndACorruptRepeatIsAClearError() {
        hub.enqueueTransfer(new Fault.WrongBytes(), 1);
        assertThat(disk.fetch(key(), store, 1L << 30).hash()).isEqualTo(uploaderHash());
        assertThat(cdnRequests()).hasSize(2);

        disk.clean(Set.of(), Duration.ZERO);
        hub.enqueueTransfer(new Fault.WrongBytes(), 2);
        assertThatThrownBy(() -> disk.fetch(key(), store, 1L << 30))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("model.safetensors: sha256")
                .hasMessageContaining("is not the announced")
                .satisfies(e -> assertThat(((Pretrain4jException) e).errorCode())
                        .isEqualTo(ModelStoreErrorCode.MODEL_FILES_INVALID));
        assertThat(snapshot()).doesNotExist();
    }

    @Test
    void notFoundCarriesTheHubsErrorCode() {
        hub.enqueue(new Fault.NotFound("RevisionNotFound"), 1);
        assertThatThrownBy(() -> disk.fetch(key(), store, 1L << 30))
                .hasMessageContaining("HTTP 404 (RevisionNotFound)")
                .satisfies(e -> assertThat(((Pretrain4jException) e).errorCode())
                        .isEqualTo(ModelStoreErrorCode.MODEL_NOT_FOUND));
        assertThat(snapshot()).doesNotExist();
        assertThatThrownBy(() -> store.info("miner7/never-made", commit))
                .hasMessageContaining("HTTP 404 (RepoNotFound)");
    }

    @Test
    void tooManyRequestsWaitsRetryAfter() {
        hub.enqueue(new Fault.TooManyRequests(3), 2);
        assertThat(disk.fetch(key(), store, 1L << 30).hash()).isEqualTo(uploaderHash());
        assertThat(waits).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
    }

    @Test
    void serverErrorsOnAFileAreRetried() {
        hub.enqueue(new Fault.ServerError(502), 1); // info
        assertThat(disk.fetch(key(), store, 1L << 30).hash()).isEqualTo(uploaderHash());
        assertThat(waits).hasSize(1);
    }

    @Test
    void anOversizeRepoIsRefusedBeforeAnyFileIsFetched() {
        String big = hub.addAnnouncedFile(REPO, "model-00002-of-00002.safetensors", 40L << 30);
        ModelKey bigKey = new ModelKey(HOTKEY, REPO, big);
        assertThatThrownBy(() -> disk.fetch(bigKey, store, 15L << 30))
                .hasMessageContaining("more than the 16106127360 allowed; nothing was downloaded")
                .satisfies(e -> assertThat(((Pretrain4jException) e).errorCode())
                        .isEqualTo(ModelStoreErrorCode.MODEL_TOO_LARGE));
        assertThat(hub.requests())
                .noneMatch(r -> r.path().contains("/resolve/") || r.path().startsWith("/cdn/"));
    }

    @Test
    void hostileFileNamesAreRefused() {
        String hostile = hub.addAnnouncedFile(REPO, "../../../etc/cron.d/evil.safetensors", 10);
        assertThatThrownBy(() -> disk.fetch(new ModelKey(HOTKEY, REPO, hostile), store, 1L << 30))
                .hasMessageContaining("refusing the hostile file name '../../../etc/cron.d/evil.safetensors'")
                .satisfies(e -> assertThat(((Pretrain4jException) e).errorCode())
                        .isEqualTo(ModelStoreErrorCode.MODEL_FILES_INVALID));
        assertThat(Files.exists(work.resolve("etc"))).isFalse();
    }

    @Test
    void aSlowDripIsAbandonedAndResumed() {
        try (HfHubStore impatient = new HfHubStore(new HubHttp(
                new HttpConfig(
                        hub.endpoint(),
                        Optional.of("hf_SeCrEt"),
                        Duration.ofSeconds(5),
                        Duration.ofMillis(300),
                        50_000,
                        4,
                        Duration.ofMillis(10),
                        Duration.ofSeconds(1)),
                waits::add))) {
            hub.enqueueTransfer(new Fault.Drip(256, Duration.ofMillis(100)), 1);
            assertThat(disk.fetch(key(), impatient, 1L << 30).hash()).isEqualTo(uploaderHash());
        }
        assertThat(cdnRequests()).hasSize(2);
        assertThat(cdnRequests().get(1).range()).isPresent();
    }

    @Test
    void theTokenIsNeverInAnErrorOrInTheSettings() {
        store.setPrivate(REPO, true);
        hub.requireToken("hf_other"); // our token no longer opens the private repo
        assertThatThrownBy(() -> disk.fetch(key(), store, 1L << 30))
                .hasMessageContaining("HTTP 401 (RepoNotFound)")
                .hasMessageContaining("private, gated, or the token lacks access")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hf_SeCrEt"));
        assertThat(store.id()).doesNotContain("hf_SeCrEt");
        assertThat(new HttpConfig(
                                hub.endpoint(),
                                Optional.of("hf_SeCrEt"),
                                Duration.ZERO,
                                Duration.ZERO,
                                1,
                                1,
                                Duration.ZERO,
                                Duration.ZERO)
                        .toString())
                .doesNotContain("hf_SeCrEt");
    }

    @Test
    void stagingLeftByACrashIsCleanedAfterTheGracePeriod() throws IOException {
        Path staging = disk.root()
                .resolve("models")
                .resolve(HOTKEY)
                .resolve("models--miner7--tiny-gpt2")
                .resolve(".staging")
                .resolve(commit);
        Files.createDirectories(staging);
        Files.writeString(staging.resolve("model.safetensors.incomplete"), "partial");
        assertThat(disk.usage().stagingBytes()).isEqualTo(7);
        assertThat(disk.clean(Set.of(), Duration.ofHours(1)).freedBytes()).isZero();
        assertThat(disk.clean(Set.of(), Duration.ZERO).freedBytes()).isEqualTo(7);
        try (Stream<Path> trash = Files.list(disk.root().resolve(".trash"))) {
            assertThat(trash).isEmpty();
        }
    }

    @Test
    void largeFilesGoUpInPartsAndComeBackWhole() {
        hub.multipartAbove(4096); // the test model's safetensors is ~22 KB: six parts
        String partsCommit = store.publish(REPO, TestModels.write(work.resolve("v2"), 8), false);
        assertThat(hub.requests())
                .filteredOn(r -> r.path().startsWith("/lfs-part/"))
                .hasSizeGreaterThan(1);
        StoredModel stored = disk.fetch(new ModelKey(HOTKEY, REPO, partsCommit), store, 1L << 30);
        assertThat(stored.hash())
                .isEqualTo(ModelHashes.directoryHash(
                        TestModels.modelFilesOnly(work.resolve("v2"), work.resolve("v2-files"))));
    }

    @Test
    void aFileServedFromAnotherCommitIsRefused() {
        hub.enqueue(new Fault.OtherCommit(), 2); // info is request 1; the first resolve is request 2
        assertThatThrownBy(() -> disk.fetch(key(), store, 1L << 30))
                .hasMessageContaining(
                        "the Hub serves commit ffffffffffffffffffffffffffffffffffffffff, not the one asked for")
                .satisfies(e -> assertThat(((Pretrain4jException) e).errorCode())
                        .isEqualTo(ModelStoreErrorCode.MODEL_FILES_INVALID));
        assertThat(snapshot()).doesNotExist();
    }
}
