package io.pretrain4j.plugins.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.hash.ModelHashes;
import io.pretrain4j.ports.store.ModelKey;
import io.pretrain4j.ports.store.ModelStoreErrorCode;
import io.pretrain4j.ports.store.OwnerSignature;
import io.pretrain4j.ports.store.PublishingKey;
import io.pretrain4j.ports.store.RemoteModel;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.RepoFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link RemoteModelStore} must do, as a JUnit 5 suite: extend it and implement
 * {@link #createStore()}. A remote service is tested against a real fake on 127.0.0.1 (the testkit
 * has {@link io.pretrain4j.testing.fakes.FakeHub}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RemoteModelStoreContract {
    /** The store under test; one instance serves the whole suite. */
    protected abstract RemoteModelStore createStore();

    /**
     * Who publishes in the suite. The default signs with SHA-256 over a fixed prefix and the message,
     * which {@link #verifies} checks; a suite whose store needs real keys overrides both.
     */
    protected PublishingKey publisher() {
        return PublishingKey.of(
                "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", RemoteModelStoreContract::contractSignature);
    }

    /** Whether {@code owner} is {@link #publisher()}'s signature of its message. */
    protected boolean verifies(OwnerSignature owner) {
        return Arrays.equals(owner.signature(), contractSignature(owner.message()));
    }

    private static byte[] contractSignature(byte[] message) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("pretrain4j-contract-signer:".getBytes(StandardCharsets.UTF_8));
            return digest.digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repo the suite publishes to. */
    protected String repoId() {
        return "miner1/contract-model";
    }

    @TempDir
    Path work;

    private RemoteModelStore store;
    private Path source;
    private String commit;

    @BeforeAll
    void publishOnce(@TempDir Path dir) {
        store = createStore();
        source = TestModels.write(dir.resolve("model"), 1);
        commit = store.publish(repoId(), source, false, publisher());
    }

    @AfterAll
    void close() {
        store.close();
    }

    @Test
    void publishGivesACommitWhoseDownloadHasTheUploadersHash() {
        assertThat(commit).matches("[0-9a-f]{40}");
        Path target = work.resolve("download");
        store.download(repoId(), commit, target, Long.MAX_VALUE);
        Path expected = TestModels.modelFilesOnly(source, work.resolve("expected"));
        assertThat(ModelHashes.directoryHash(target)).isEqualTo(ModelHashes.directoryHash(expected));
        assertThat(names(target))
                .containsExactlyInAnyOrder("config.json", "model.safetensors", "tokenizer_config.json");
    }

    @Test
    void infoListsTheFilesWithTheirSizes() throws IOException {
        RemoteModel info = store.info(repoId(), commit);
        assertThat(info.commit()).isEqualTo(commit);
        assertThat(info.files()).extracting(RepoFile::name).contains("config.json", "model.safetensors");
        RepoFile weights = info.files().stream()
                .filter(f -> f.name().equals("model.safetensors"))
                .findFirst()
                .orElseThrow();
        assertThat(weights.size()).isEqualTo(Files.size(source.resolve("model.safetensors")));
        assertThat(info.totalBytes()).isGreaterThanOrEqualTo(weights.size());
    }

    @Test
    void aSigningStoreNamesThePublisherAndHisSignatureAndFindsTheModelByHotkey() {
        RemoteModel info = store.info(new ModelKey(publisher().hotkey(), repoId(), commit));
        assertThat(info.commit()).isEqualTo(commit);
        if (!store.signsModels()) {
            assertThat(info.owner())
                    .as("a store that does not sign reports no owner")
                    .isEmpty();
            return;
        }
        OwnerSignature owner =
                info.owner().orElseThrow(() -> new AssertionError(store.id() + " signs models but reports no owner"));
        assertThat(owner.hotkey()).isEqualTo(publisher().hotkey());
        assertThat(verifies(owner))
                .as("the reported signature is the publisher's signature of the reported message")
                .isTrue();
        assertThatThrownBy(() ->
                        store.info(new ModelKey("5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty", repoId(), commit)))
                .as("another hotkey did not publish it")
                .satisfies(e -> assertThat(((Pretrain4jException) e).errorCode())
                        .isEqualTo(ModelStoreErrorCode.MODEL_NOT_FOUND));
    }

    @Test
    void aRepoOverTheLimitIsRefusedBeforeAnyByteIsWritten() {
        long total = store.info(repoId(), commit).totalBytes();
        Path target = work.resolve("too-large");
        assertThatThrownBy(() -> store.download(repoId(), commit, target, total - 1))
                .isInstanceOf(Pretrain4jException.class)
                .satisfies(e -> assertThat(((Pretrain4jException) e).errorCode())
                        .isEqualTo(ModelStoreErrorCode.MODEL_TOO_LARGE));
        assertThat(Files.exists(target) ? names(target) : new String[0]).isEmpty();
    }

    @Test
    void unknownReposAndCommitsAreNotFound() {
        assertThatThrownBy(() -> store.info("nobody/nothing-here", commit))
                .satisfies(e -> assertThat(((Pretrain4jException) e).errorCode())
                        .isEqualTo(ModelStoreErrorCode.MODEL_NOT_FOUND));
        assertThatThrownBy(() -> store.download(
                        repoId(), "0123456789abcdef0123456789abcdef01234567", work.resolve("x"), Long.MAX_VALUE))
                .satisfies(e -> assertThat(((Pretrain4jException) e).errorCode())
                        .isEqualTo(ModelStoreErrorCode.MODEL_NOT_FOUND));
    }

    @Test
    void aNewVersionGetsANewCommitAndTheOldOneStaysDownloadable(@TempDir Path dir) {
        Path second = TestModels.write(dir.resolve("v2"), 2);
        String newCommit = store.publish(repoId(), second, false, publisher());
        assertThat(newCommit).matches("[0-9a-f]{40}").isNotEqualTo(commit);
        store.download(repoId(), newCommit, work.resolve("v2"), Long.MAX_VALUE);
        store.download(repoId(), commit, work.resolve("v1"), Long.MAX_VALUE);
        assertThat(ModelHashes.directoryHash(work.resolve("v2")))
                .isNotEqualTo(ModelHashes.directoryHash(work.resolve("v1")));
        assertThat(ModelHashes.directoryHash(work.resolve("v1")))
                .isEqualTo(ModelHashes.directoryHash(TestModels.modelFilesOnly(source, work.resolve("v1-expected"))));
    }

    @Test
    void aDirectoryWithoutSafetensorsIsNotPublished(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "{}");
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> store.publish(repoId(), dir, false, publisher()))
                .satisfies(e -> assertThat(((Pretrain4jException) e).errorCode())
                        .isEqualTo(ModelStoreErrorCode.MODEL_FILES_INVALID))
                .hasMessageContaining("safetensors");
    }

    @Test
    void aPrivateRepoCanBeMadePublic(@TempDir Path dir) {
        String privateRepo = repoId() + "-private";
        String privateCommit = store.publish(privateRepo, TestModels.write(dir.resolve("p"), 3), true, publisher());
        store.setPrivate(privateRepo, false);
        store.download(privateRepo, privateCommit, work.resolve("was-private"), Long.MAX_VALUE);
        assertThat(names(work.resolve("was-private"))).contains("model.safetensors");
    }

    private static String[] names(Path dir) {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
