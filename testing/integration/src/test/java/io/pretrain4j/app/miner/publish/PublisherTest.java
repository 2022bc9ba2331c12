package io.pretrain4j.app.miner.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.app.validator.demo.Demo;
import io.pretrain4j.domain.hash.ModelHashes;
import io.pretrain4j.domain.model.ModelId;
import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.domain.model.ModelSpec.Family;
import io.pretrain4j.domain.model.SafetensorsDType;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.formats.safetensors.SyntheticModels;
import io.pretrain4j.formats.schedule.ScheduleFiles;
import io.pretrain4j.launcher.Stores;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainAdmin;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.dataset.Tokenizer;
import io.pretrain4j.ports.store.ModelKey;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.StoredModel;
import io.pretrain4j.testing.fakes.FakeHub;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublisherTest {
    private static ModelSpec good() {
        return new ModelSpec(Family.LLAMA, 50257, 16, 1, 2, 2, 32, 256, true, SafetensorsDType.F32, 0.02, 5, 0);
    }

    @Test
    void aModelThatBreaksTheConstraintsIsRefusedWithEveryReasonAndNothingIsUploaded(@TempDir Path dir)
            throws Exception {
        io.pretrain4j.app.miner.MinerSubnet subnet = subnet(dir);
        Path bad = SyntheticModels.write(
                dir.resolve("bad"),
                new ModelSpec(Family.QWEN2, 50257, 512, 1, 4, 4, 64, 64, false, SafetensorsDType.BF16, 0.02, 1, 0));
        Hotkey miner = subnet.register("miner", 0);
        try (Chain chain = subnet.chain();
                RemoteModelStore hub = subnet.injector.getInstance(Stores.class).remote()) {
            Publisher publisher = new Publisher(
                    hub,
                    chain,
                    subnet.wallets,
                    new PrintWriter(new StringWriter()),
                    d -> {},
                    Duration.ZERO,
                    Duration.ZERO);
            assertThatThrownBy(() -> publisher.publish(
                            bad,
                            "a-repo-name-that-is-far-too-long/for-the-chain",
                            competition(subnet, chain),
                            gpt2(subnet),
                            miner,
                            false))
                    .hasMessageContaining("cannot compete in DEMO (4 problem(s)); nothing was uploaded")
                    .hasMessageContaining("architecture Qwen2ForCausalLM is not allowed")
                    .hasMessageContaining("parameters is outside DEMO's [100,000, 20,000,000]")
                    .hasMessageContaining("the model takes 64 positions; DEMO evaluates windows of 128")
                    .hasMessageContaining("38");
            assertThat(chain.commitment(miner.ss58Address())).isEmpty();
        }
        assertThat(dir.resolve("subnet/hub"))
                .satisfiesAnyOf(
                        p -> assertThat(p).doesNotExist(),
                        p -> assertThat(Files.list(p).toList()).isEmpty());
    }

    @Test
    void publishesToTheLocalHubCommitsReadsBackAndWaitsOutTheRateLimit(@TempDir Path dir) throws Exception {
        io.pretrain4j.app.miner.MinerSubnet subnet = subnet(dir);
        Path model = SyntheticModels.write(dir.resolve("model"), good());
        Hotkey miner = subnet.register("miner", 0);
        List<Duration> sleeps = new ArrayList<>();
        try (Chain chain = subnet.chain();
                RemoteModelStore hub = subnet.injector.getInstance(Stores.class).remote()) {
            Competition competition = competition(subnet, chain);
            Publisher publisher = new Publisher(
                    hub,
                    chain,
                    subnet.wallets,
                    new PrintWriter(new StringWriter()),
                    d -> {
                        sleeps.add(d);
                        ((ChainAdmin) chain).advance(60);
                    },
                    Duration.ofSeconds(60),
                    Duration.ofMinutes(10));
            Publisher.Result first = publisher.publish(model, "miner/first", competition, gpt2(subnet), miner, true);
            assertThat(chain.commitment(miner.ss58Address()).orElseThrow().data())
                    .isEqualTo(first.chainString());
            assertThat(sleeps).isEmpty();

            // what a validator downloads hashes to the secure hash on chain for this hotkey
            StoredModel stored = subnet.injector
                    .getInstance(Stores.class)
                    .local()
                    .fetch(
                            new ModelKey(miner.ss58Address(), "miner/first", first.commit()),
                            hub,
                            competition.constraints().maxBytes());
            ModelId id = ModelId.parse(first.chainString());
            assertThat(id.secureHash()).contains(ModelHashes.secureHash(stored.hash(), miner.ss58Address()));
            assertThat(id.competitionId()).isEqualTo(1);

            // issue 20: publishing the same model again (a re-run after a crash past the commit) finds it on
            // chain and stops, where it waited out the rate limit and committed again at a later block (losing
            // the earlier block's epsilon)
            StringWriter again = new StringWriter();
            Publisher rerun = new Publisher(
                    hub,
                    chain,
                    subnet.wallets,
                    new PrintWriter(again),
                    d -> {
                        throw new AssertionError("a re-run must not wait for the rate limit");
                    },
                    Duration.ofSeconds(60),
                    Duration.ofMinutes(10));
            Publisher.Result repeated = rerun.publish(model, "miner/first", competition, gpt2(subnet), miner, true);
            assertThat(repeated).isEqualTo(first);
            assertThat(again.toString()).contains("already committed").doesNotContain("uploading");
            assertThat(chain.commitment(miner.ss58Address()).orElseThrow().block())
                    .isEqualTo(first.block());

            // a second commit within the 100-block commitment rate limit waits until it is allowed
            Publisher.Result second = publisher.publish(model, "miner/second", competition, gpt2(subnet), miner, false);
            assertThat(sleeps).containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(60));
            assertThat(chain.commitment(miner.ss58Address()).orElseThrow().data())
                    .isEqualTo(second.chainString());
            assertThat(second.block()).isGreaterThanOrEqualTo(first.block() + 100);
        }
    }

    @Test
    void publishesThroughTheHuggingFaceStoreToTheFakeHub(@TempDir Path dir) throws Exception {
        io.pretrain4j.app.miner.MinerSubnet subnet = subnet(dir);
        Path model = SyntheticModels.write(dir.resolve("model"), good());
        Hotkey miner = subnet.register("miner", 0);
        try (FakeHub fakeHub = FakeHub.start(dir.resolve("fake-hub"));
                RemoteModelStore hf = subnet.registry
                        .factory(FactoryKind.REMOTE_MODEL_STORE, "hf")
                        .create(Map.of("endpoint", fakeHub.endpoint().toString(), "token", "hf_miner_token"));
                Chain chain = subnet.chain()) {
            fakeHub.requireToken("hf_miner_token");
            Publisher publisher = new Publisher(
                    hf,
                    chain,
                    subnet.wallets,
                    new PrintWriter(new StringWriter()),
                    d -> {},
                    Duration.ZERO,
                    Duration.ZERO);
            Publisher.Result result =
                    publisher.publish(model, "miner/on-the-hub", competition(subnet, chain), gpt2(subnet), miner, true);
            assertThat(hf.info("miner/on-the-hub", result.commit()).files())
                    .extracting(f -> f.name())
                    .contains("config.json", "model.safetensors");
            assertThat(chain.commitment(miner.ss58Address()).orElseThrow().data())
                    .isEqualTo(result.chainString());
            assertThat(fakeHub.requests())
                    .anyMatch(r -> r.method().equals("PUT") && r.path().contains("settings"));
        }
    }

    @Test
    void onWandbTheRunCarriesTheMinersVerifiableSignatureOfItsIdAndTheCommitmentNamesTheRunsFiles(@TempDir Path dir)
            throws Exception {
        io.pretrain4j.app.miner.MinerSubnet subnet = subnet(dir);
        Path model = SyntheticModels.write(dir.resolve("model"), good());
        Hotkey miner = subnet.register("miner", 0);
        try (io.pretrain4j.testing.fakes.FakeWandb wandb =
                        io.pretrain4j.testing.fakes.FakeWandb.start(dir.resolve("fake-wandb"));
                RemoteModelStore store = subnet.registry
                        .factory(FactoryKind.REMOTE_MODEL_STORE, "wandb")
                        .create(Map.of("base-url", wandb.endpoint().toString(), "api-key", "miner-wandb-key"));
                Chain chain = subnet.chain()) {
            wandb.requireApiKey("miner-wandb-key");
            StringWriter progress = new StringWriter();
            Publisher publisher = new Publisher(
                    store, chain, subnet.wallets, new PrintWriter(progress), d -> {}, Duration.ZERO, Duration.ZERO);
            Publisher.Result result = publisher.publish(
                    model, "my-entity/tiny-llama", competition(subnet, chain), gpt2(subnet), miner, false);

            var run = wandb.runs("my-entity", "pretraining-subnet").get(0);
            byte[] signature = java.util.HexFormat.of()
                    .parseHex(run.config().path("signature").asText());
            assertThat(subnet.wallets.verify(
                            miner.ss58Address(),
                            run.name().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            signature))
                    .as("the signature in the run's config is the miner's signature of the run id")
                    .isTrue();
            assertThat(run.config().path("hotkey").asText()).isEqualTo(miner.ss58Address());
            assertThat(run.config().path("model_commit").asText()).isEqualTo(result.commit());
            var owner = store.info(new io.pretrain4j.ports.store.ModelKey(
                            miner.ss58Address(), "my-entity/tiny-llama", result.commit()))
                    .owner()
                    .orElseThrow();
            assertThat(subnet.wallets.verify(owner.hotkey(), owner.message(), owner.signature()))
                    .isTrue();
            assertThat(chain.commitment(miner.ss58Address()).orElseThrow().data())
                    .isEqualTo(result.chainString())
                    .startsWith("my-entity:tiny-llama:" + result.commit() + ":");
            assertThat(progress.toString()).doesNotContain("miner-wandb-key");
        }
    }

    private static io.pretrain4j.app.miner.MinerSubnet subnet(Path dir) throws Exception {
        return new io.pretrain4j.app.miner.MinerSubnet(dir.resolve("subnet"), "");
    }

    private static Competition competition(io.pretrain4j.app.miner.MinerSubnet subnet, Chain chain) throws Exception {
        return ScheduleFiles.parse(Demo.scheduleJson(128, 2), "test")
                .competitionAt(chain.currentBlock(), Demo.COMPETITION)
                .orElseThrow();
    }

    private static Tokenizer gpt2(io.pretrain4j.app.miner.MinerSubnet subnet) {
        return subnet.registry.tokenizer("gpt2");
    }
}
