package io.pretrain4j.adapters.wandb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.hash.ModelHashes;
import io.pretrain4j.plugins.testkit.store.TestModels;
import io.pretrain4j.ports.store.ModelKey;
import io.pretrain4j.ports.store.ModelStoreErrorCode;
import io.pretrain4j.ports.store.PublishingKey;
import io.pretrain4j.ports.store.RemoteModel;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.testing.fakes.FakeWandb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code wandb} store against the loopback W&amp;B's faults. */
class WandbModelStoreFaultTest {
    private static final String KEY = "wandb-SeCrEt-key-4242";
    private static final String HOTKEY = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
    private static final PublishingKey SIGNER =
            PublishingKey.of(HOTKEY, message -> java.util.Arrays.copyOf(message, 64));

    @TempDir
    Path dir;

    private FakeWandb wandb;
    private RemoteModelStore store;

    @BeforeEach
    void start() {
        wandb = FakeWandb.start(dir.resolve("fake"));
        wandb.requireApiKey(KEY);
        store = store(Map.of());
    }

    private RemoteModelStore store(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of(
                "base-url",
                wandb.endpoint().toString(),
                "api-key",
                KEY,
                "retry-delay",
                "10ms",
                "attempts",
                "3",
                "read-timeout",
                "500ms"));
        config.putAll(extra);
        return new WandbModelStoreFactory().create(config);
    }

    @AfterEach
    void stop() {
        store.close();
        wandb.close();
    }

    private String publish(String repo, long seed) {
        return store.publish(repo, TestModels.write(dir.resolve("model-" + seed), seed), false, SIGNER);
    }

    private String onlyRun(String entity) {
        List<FakeWandb.RunView> runs = wandb.runs(entity, "pretraining-subnet");
        assertThat(runs).hasSize(1);
        return runs.get(0).name();
    }

    @Test
    void aRunHoldsTheReferenceMinerConfigAndTheSignatureOfItsId() {
        String commit = publish("alice/tiny", 1);
        FakeWandb.RunView run = wandb.runs("alice", "pretraining-subnet").get(0);
        assertThat(run.name()).matches("[a-z0-9]{8}");
        assertThat(run.displayName()).matches("miner-tiny-[A-Z0-9]{10}");
        assertThat(run.config().path("type").asText()).isEqualTo("miner");
        assertThat(run.config().path("hotkey").asText()).isEqualTo(HOTKEY);
        assertThat(run.config().path("run_name").asText()).isEqualTo(run.displayName());
        assertThat(run.config().path("model_commit").asText()).isEqualTo(commit);
        assertThat(run.config().path("signature").asText())
                .isEqualTo(HexFormat.of().formatHex(SIGNER.sign(run.name().getBytes(StandardCharsets.UTF_8))));
        assertThat(run.files()).containsExactlyInAnyOrder("config.json", "model.safetensors", "tokenizer_config.json");
        RemoteModel info = store.info(new ModelKey(HOTKEY, "alice/tiny", commit));
        assertThat(new String(info.owner().orElseThrow().message(), StandardCharsets.UTF_8))
                .isEqualTo(run.name());
        assertThat(info.owner().orElseThrow().where()).isEqualTo("W&B run alice/pretraining-subnet/" + run.name());
    }

    @Test
    void theKeyGoesAsBasicAuthAndIsNeverInAMessage() {
        String commit = publish("alice/tiny", 1);
        store.download("alice/tiny", commit, dir.resolve("d"), Long.MAX_VALUE);
        String basic = "Basic "
                + java.util.Base64.getEncoder().encodeToString(("api:" + KEY).getBytes(StandardCharsets.UTF_8));
        assertThat(wandb.requests())
                .filteredOn(r -> !r.path().startsWith("/upload/"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).contains(basic));
        assertThat(store.id()).doesNotContain(KEY);

        try (RemoteModelStore wrong = store(Map.of("api-key", "not-the-key"))) {
            assertThatThrownBy(() -> wrong.info("alice/tiny", commit))
                    .hasMessageContaining("HTTP 401")
                    .hasMessageContaining("W&B refused the API key")
                    .hasMessageNotContaining("not-the-key");
        }
        assertThatThrownBy(() -> new WandbModelStoreFactory().create(Map.of("api-key", KEY, "projekt", "x")))
                .hasMessageContaining("unknown key 'projekt'")
                .hasMessageContaining("did you mean 'project'")
                .hasMessageNotContaining(KEY);
    }

    /** Issue 20: a proxy echoing the Basic header put the key, base64-encoded, into a warning. */
    @Test
    void aServerEchoingTheBasicHeaderNeverGetsTheKeyIntoAMessage() {
        String commit = publish("alice/tiny", 1);
        String basic = java.util.Base64.getEncoder().encodeToString(("api:" + KEY).getBytes(StandardCharsets.UTF_8));
        wandb.enqueue(new FakeWandb.Fault.EchoHeaders(502), 3);
        assertThatThrownBy(() -> store.info("alice/tiny", commit))
                .isInstanceOfSatisfying(
                        io.pretrain4j.domain.Pretrain4jException.class,
                        e -> assertThat(e.getMessage())
                                .contains("HTTP 502")
                                .contains("Basic <redacted>")
                                .doesNotContain(basic)
                                .doesNotContain(KEY));
    }

    @Test
    void serverErrorsAndMalformedAnswersAreRetriedAndAPersistentFailureIsNamed() {
        String commit = publish("alice/tiny", 1);
        wandb.enqueue(new FakeWandb.Fault.ServerError(502), 1);
        wandb.enqueue(new FakeWandb.Fault.MalformedJson(), 1);
        assertThat(store.info("alice/tiny", commit).commit()).isEqualTo(commit);

        wandb.enqueue(new FakeWandb.Fault.Slow(Duration.ofMillis(300)), 1);
        assertThat(store.info("alice/tiny", commit).commit()).isEqualTo(commit);

        wandb.enqueue(new FakeWandb.Fault.ServerError(500), 3);
        assertThatThrownBy(() -> store.info("alice/tiny", commit))
                .satisfies(e -> hasCode(e, ModelStoreErrorCode.STORE_UNAVAILABLE))
                .hasMessageContaining("W&B runs of alice/pretraining-subnet")
                .hasMessageContaining("W&B failed 3 times; last: HTTP 500");

        wandb.enqueue(new FakeWandb.Fault.MalformedJson(), 3);
        assertThatThrownBy(() -> store.info("alice/tiny", commit)).hasMessageContaining("the answer is not JSON");
    }

    @Test
    void aCutTransferResumesWithRangeAndTheFilesMatchTheUpload() {
        Path source = TestModels.write(dir.resolve("model"), 7);
        String commit = store.publish("alice/tiny", source, false, SIGNER);
        wandb.enqueueTransfer(new FakeWandb.Fault.CutAfter(1000), 1);
        Path target = dir.resolve("download");
        store.download(new ModelKey(HOTKEY, "alice/tiny", commit), target, Long.MAX_VALUE);
        assertThat(ModelHashes.directoryHash(target))
                .isEqualTo(ModelHashes.directoryHash(TestModels.modelFilesOnly(source, dir.resolve("expected"))));
        List<FakeWandb.Request> gets =
                wandb.requests().stream().filter(r -> r.method().equals("GET")).toList();
        assertThat(gets).anySatisfy(r -> assertThat(r.status()).isEqualTo(206));
    }

    @Test
    void fileUrlsRedirectingToStorageAreFollowedWithoutTheKey() {
        Path source = TestModels.write(dir.resolve("model"), 3);
        String commit = store.publish("alice/tiny", source, false, SIGNER);
        wandb.redirectFiles(true);
        wandb.enqueueTransfer(new FakeWandb.Fault.CutAfter(1000), 1);
        Path target = dir.resolve("download");
        store.download("alice/tiny", commit, target, Long.MAX_VALUE);
        assertThat(ModelHashes.directoryHash(target))
                .isEqualTo(ModelHashes.directoryHash(TestModels.modelFilesOnly(source, dir.resolve("expected"))));
        List<FakeWandb.Request> storage = wandb.requests().stream()
                .filter(r -> r.path().startsWith("storage:"))
                .toList();
        assertThat(storage)
                .hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(r -> assertThat(r.authorization()).isEmpty());
        assertThat(storage).anySatisfy(r -> assertThat(r.status()).isEqualTo(206));
        assertThat(wandb.requests())
                .filteredOn(r -> r.path().startsWith("/files/alice/"))
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(302));
    }

    @Test
    void a429WaitsForRetryAfter() {
        String commit = publish("alice/tiny", 1);
        wandb.enqueue(new FakeWandb.Fault.TooManyRequests(1), 1);
        long started = System.nanoTime();
        try (RemoteModelStore patient = store(Map.of("max-retry-delay", "5s"))) {
            assertThat(patient.info("alice/tiny", commit).commit()).isEqualTo(commit);
        }
        assertThat((System.nanoTime() - started) / 1e9)
                .as("waited the 1 s the server asked for, not the 10 ms backoff")
                .isGreaterThanOrEqualTo(0.9);
        assertThat(wandb.requests()).anySatisfy(r -> assertThat(r.status()).isEqualTo(429));
    }

    @Test
    void aListedFileWhoseUrlIsGoneIsNotFound() {
        String commit = publish("alice/tiny", 1);
        wandb.removeFileBytes("alice", "pretraining-subnet", onlyRun("alice"), "model.safetensors");
        assertThatThrownBy(() -> store.download("alice/tiny", commit, dir.resolve("d"), Long.MAX_VALUE))
                .satisfies(e -> hasCode(e, ModelStoreErrorCode.MODEL_NOT_FOUND))
                .hasMessageContaining("model.safetensors of W&B run alice/pretraining-subnet/")
                .hasMessageContaining("its URL answers 404 (the file is missing)");
    }

    @Test
    void filesChangedAfterTheCommitNoLongerMatchIt() throws Exception {
        String commit = publish("alice/tiny", 1);
        String run = onlyRun("alice");
        wandb.putFile(
                "alice",
                "pretraining-subnet",
                run,
                "config.json",
                "{\"architectures\": [\"Other\"]}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.info("alice/tiny", commit))
                .satisfies(e -> hasCode(e, ModelStoreErrorCode.MODEL_NOT_FOUND))
                .hasMessageContaining("run " + run + "'s files changed after the commit");
        assertThat(Files.exists(dir.resolve("never"))).isFalse();
    }

    @Test
    void aTooLargeModelIsRefusedBeforeAByteIsFetched() {
        String commit = publish("alice/tiny", 1);
        long total = store.info("alice/tiny", commit).totalBytes();
        assertThatThrownBy(() -> store.download("alice/tiny", commit, dir.resolve("d"), total - 1))
                .satisfies(e -> hasCode(e, ModelStoreErrorCode.MODEL_TOO_LARGE));
        assertThat(wandb.requests()).noneMatch(r -> r.method().equals("GET"));
    }

    @Test
    void hostileRunsAreSkippedWithTheirReasonAndPagingReachesOlderRuns() {
        String commit = publish("alice/tiny", 1);
        String good = onlyRun("alice");
        // 120 newer runs claim the same model and commit, without files; a third name no hotkey (the
        // query filters them out)
        for (int i = 0; i < 120; i++) {
            Map<String, Object> config =
                    new HashMap<>(Map.of("type", "miner", "model_name", "tiny", "model_commit", commit));
            if (i % 3 != 0) {
                config.put("hotkey", HOTKEY);
            }
            config.put("signature", i % 3 == 1 ? "zz-not-hex" : "00");
            wandb.putRun("alice", "pretraining-subnet", "fake" + i, config);
        }
        RemoteModel info = store.info(new ModelKey(HOTKEY, "alice/tiny", commit));
        assertThat(new String(info.owner().orElseThrow().message(), StandardCharsets.UTF_8))
                .isEqualTo(good);
        assertThat(wandb.requests())
                .filteredOn(r -> r.operation().filter("Runs"::equals).isPresent())
                .hasSizeGreaterThanOrEqualTo(2);

        try (RemoteModelStore capped = store(Map.of("max-runs", "5"))) {
            assertThatThrownBy(() -> capped.info("alice/tiny", commit))
                    .satisfies(e -> hasCode(e, ModelStoreErrorCode.MODEL_NOT_FOUND))
                    .hasMessageContaining("no W&B run in alice/pretraining-subnet holds alice/tiny@" + commit)
                    .hasMessageContaining("run fake119 has no model files")
                    .hasMessageContaining("run fake115 has no model files");
        }
    }

    @Test
    void theRunsOwnFilesAreNotPartOfTheModelAndPickledWeightsAreNamed() throws Exception {
        String commit = publish("alice/tiny", 1);
        long modelBytes = store.info("alice/tiny", commit).totalBytes();
        wandb.putFile("alice", "pretraining-subnet", onlyRun("alice"), "output.log", new byte[300_000]);
        wandb.putFile(
                "alice",
                "pretraining-subnet",
                onlyRun("alice"),
                "wandb-metadata.json",
                "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(store.info("alice/tiny", commit).totalBytes()).isEqualTo(modelBytes);
        store.download("alice/tiny", commit, dir.resolve("d"), modelBytes);
        try (var listing = Files.list(dir.resolve("d"))) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .doesNotContain("output.log", "wandb-metadata.json");
        }

        // a first-version run: config.json and a pickled model.pth
        byte[] config = "{\"architectures\": [\"GPT2LMHeadModel\"]}".getBytes(StandardCharsets.UTF_8);
        String md5 = java.util.Base64.getEncoder()
                .encodeToString(java.security.MessageDigest.getInstance("MD5").digest(config));
        String pickledCommit = WandbModelStore.Manifest.commit(
                List.of(new WandbModelStore.Manifest.Entry("config.json", config.length, md5)));
        wandb.putRun(
                "bob",
                "pretraining-subnet",
                "oldrun01",
                Map.of(
                        "type",
                        "miner",
                        "model_name",
                        "v1",
                        "model_commit",
                        pickledCommit,
                        "hotkey",
                        HOTKEY,
                        "signature",
                        "00"));
        wandb.putFile("bob", "pretraining-subnet", "oldrun01", "config.json", config);
        wandb.putFile("bob", "pretraining-subnet", "oldrun01", "model.pth", new byte[1000]);
        assertThatThrownBy(() -> store.download("bob/v1", pickledCommit, dir.resolve("v1"), Long.MAX_VALUE))
                .satisfies(e -> hasCode(e, ModelStoreErrorCode.MODEL_FILES_INVALID))
                .hasMessageContaining("has no safetensors weights (pickled weights are never loaded)");
        assertThat(wandb.requests()).noneMatch(r -> r.path().endsWith("/model.pth"));
    }

    @Test
    void publishingWithoutAKeyIsRefusedWithTheReason() {
        assertThatThrownBy(() -> store.publish("alice/tiny", TestModels.write(dir.resolve("m"), 1), false))
                .hasMessageContaining("signs every run with the miner's hotkey");
        assertThat(wandb.runs("alice", "pretraining-subnet")).isEmpty();
    }

    @Test
    void timestampsWithoutAZoneAreUtc() {
        assertThat(WandbTime.parse("2023-12-01T10:00:00")).contains(Instant.parse("2023-12-01T10:00:00Z"));
        assertThat(WandbTime.parse("2023-12-01T10:00:00.250")).contains(Instant.parse("2023-12-01T10:00:00.250Z"));
        assertThat(WandbTime.parse("2023-12-01T10:00:00+02:00")).contains(Instant.parse("2023-12-01T08:00:00Z"));
        assertThat(WandbTime.parse("yesterday")).isEmpty();
        assertThat(WandbTime.parse(null)).isEmpty();
    }

    private static void hasCode(Throwable e, ModelStoreErrorCode code) {
        assertThat(e).isInstanceOf(Pretrain4jException.class);
        assertThat(((Pretrain4jException) e).errorCode()).isEqualTo(code);
    }
}
