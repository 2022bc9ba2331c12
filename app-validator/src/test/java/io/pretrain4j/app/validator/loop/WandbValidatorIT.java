package io.pretrain4j.app.validator.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.app.validator.ValidatorRuntime;
import io.pretrain4j.app.validator.demo.CountedModels;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.WeightsSet;
import io.pretrain4j.ports.runlog.RunLogger;
import io.pretrain4j.testing.fakes.FakeWandb;
import io.pretrain4j.validator.*;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validator on Weights &amp; Biases (the loopback fake): models published as signed W&amp;B runs
 * and downloaded from them, steps reported as run history; and a W&amp;B outage during which the
 * validator keeps evaluating while its run logger buffers, the buffered steps arriving once
 * W&amp;B answers again.
 */
class WandbValidatorIT {
    private static final String KEY = "vali-wandb-key-31337";

    /** Two miners who published a better (bigram) and a worse (unigram) counted model as W&B runs and committed them. */
    private record Miners(Hotkey better, Hotkey worse) {
        static Miners publish(LocalSubnet subnet, CountedModels counted, Path dir, String better, String worse) {
            Hotkey first = subnet.miner(better);
            Hotkey second = subnet.miner(worse);
            subnet.commit(first, subnet.publish(first, "miners/" + better, counted.write(dir.resolve(better), true)));
            subnet.commit(second, subnet.publish(second, "miners/" + worse, counted.write(dir.resolve(worse), false)));
            return new Miners(first, second);
        }
    }

    /** A local subnet whose remote store and run logger are W&B on {@code wandb} (which then requires the key). */
    private static LocalSubnet subnet(Path dir, FakeWandb wandb) throws java.io.IOException {
        wandb.requireApiKey(KEY);
        String base = wandb.endpoint().toString();
        return LocalSubnet.create(
                dir.resolve("subnet"),
                0,
                "pretrain4j.store.remote = wandb\n"
                        + "pretrain4j.store.remote-config = null\n"
                        + "pretrain4j.store.remote-config { base-url = \"" + base + "\", api-key = \"" + KEY
                        + "\", retry-delay = 10ms, attempts = 2 }\n"
                        + "pretrain4j.run-log.logger = wandb\n"
                        + "pretrain4j.run-log.logger-config { base-url = \"" + base + "\", api-key = \"" + KEY
                        + "\", entity = sn9-validators,"
                        + " retry-delay = 100ms, max-retry-delay = 500ms, flush-timeout = 10s }\n");
    }

    private static List<FakeWandb.RunView> validatorRuns(FakeWandb wandb) {
        return wandb.runs("sn9-validators", "pretraining-validators");
    }

    @Test
    void aStepWithWandbAsTheModelStoreAndTheRunLogger(@TempDir Path dir) throws Exception {
        try (FakeWandb wandb = FakeWandb.start(dir.resolve("fake-wandb"))) {
            LocalSubnet subnet = subnet(dir, wandb);
            CountedModels counted = subnet.counted(40, 16);
            Miners miners = Miners.publish(subnet, counted, dir, "good", "weaker");
            Hotkey good = miners.better();
            Hotkey weaker = miners.worse();
            Hotkey forger = subnet.miner("forger");
            // a run that names the forger's hotkey but carries the weaker miner's signature of its id
            subnet.commit(
                    forger,
                    subnet.publish(forger, "miners/forged", counted.write(dir.resolve("forged"), true), weaker));
            subnet.advance(10);

            StringWriter table = new StringWriter();
            try (ValidatorRuntime runtime = ValidatorRuntime.open(Optional.of(subnet.config));
                    Validator validator = runtime.validator(new PrintWriter(table, true))) {
                assertThat(runtime.services().remote().id())
                        .startsWith("wandb:")
                        .doesNotContain(KEY);
                validator.run(1);
                assertThat(validator.globalStep()).isEqualTo(1);
            }
            JsonNode state = subnet.state();
            Map<Integer, JsonNode> rows = new HashMap<>();
            state.get("lastSteps")
                    .get("1")
                    .get("rows")
                    .forEach(row -> rows.put(row.get("uid").asInt(), row));
            assertThat(rows.keySet()).containsExactlyInAnyOrder(subnet.uid(good), subnet.uid(weaker));
            assertThat(rows.get(subnet.uid(good)).get("score").asDouble())
                    .isLessThan(rows.get(subnet.uid(weaker)).get("score").asDouble());
            assertThat(state.get("models")
                            .get(forger.ss58Address())
                            .get("rejection")
                            .asText())
                    .startsWith("W&B run miners/pretraining-subnet/")
                    .contains("does not verify for hotkey " + forger.ss58Address());
            try (Chain chain = subnet.chain()) {
                WeightsSet weights =
                        chain.weights(subnet.validator.ss58Address()).orElseThrow();
                assertThat(weights.uids()).contains(subnet.uid(good));
            }
            assertThat(table.toString()).contains("miners/good@", "miners/weaker@");
            assertThat(wandb.requests())
                    .filteredOn(r -> r.path().startsWith("/files/miners/"))
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo(200));

            List<FakeWandb.RunView> runs = validatorRuns(wandb);
            assertThat(runs).hasSize(1);
            FakeWandb.RunView run = runs.get(0);
            assertThat(run.displayName()).startsWith("validator-" + subnet.uid(subnet.validator) + "-");
            assertThat(run.config().path("hotkey").asText()).isEqualTo(subnet.validator.ss58Address());
            assertThat(run.config().path("type").asText()).isEqualTo("validator");
            assertThat(run.history()).hasSize(1);
            JsonNode line = run.history().get(0);
            String stepLog =
                    Files.readAllLines(subnet.stateDir().resolve("steps.jsonl")).get(0);
            assertThat(line.path("original_format_json").asText())
                    .isEqualTo(LocalSubnet.JSON
                            .readTree(stepLog)
                            .path("original_format_json")
                            .asText());
            JsonNode original =
                    LocalSubnet.JSON.readTree(line.path("original_format_json").asText());
            assertThat(original.path("uid_data")
                            .path(Integer.toString(subnet.uid(good)))
                            .path("hf")
                            .asText())
                    .startsWith("miners/good@");
            assertThat(line.path("win_rate_data")
                            .path(Integer.toString(subnet.uid(good)))
                            .asDouble())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void duringAWandbOutageTheValidatorKeepsEvaluatingAndTheBufferedStepsArriveAfterwards(@TempDir Path dir)
            throws Exception {
        try (FakeWandb wandb = FakeWandb.start(dir.resolve("fake-wandb"))) {
            LocalSubnet subnet = subnet(dir, wandb);
            Miners.publish(subnet, subnet.counted(40, 16), dir, "first", "second");
            subnet.advance(10);

            try (ValidatorRuntime runtime = ValidatorRuntime.open(Optional.of(subnet.config));
                    Validator validator = runtime.validator(new PrintWriter(new StringWriter(), true))) {
                RunLogger logger = runtime.services().runLogger();
                validator.run(1);
                awaitDelivered(logger, 1);

                wandb.outage(Duration.ofMinutes(10));
                validator.run(2);
                assertThat(validator.globalStep())
                        .as("the validator kept evaluating while W&B answered 500")
                        .isEqualTo(3);
                assertThat(subnet.state().get("lastSteps").get("1").get("rows")).hasSize(2);
                assertThat(Files.readAllLines(subnet.stateDir().resolve("steps.jsonl")))
                        .hasSize(3);
                awaitFailure(logger);
                assertThat(logger.status().buffered()).isEqualTo(2);
                assertThat(logger.status().lastError().orElseThrow()).contains("HTTP 500");
                assertThat(validatorRuns(wandb).get(0).history()).hasSize(1);
                assertThat(wandb.requests()).anySatisfy(r -> {
                    assertThat(r.path()).endsWith("/file_stream");
                    assertThat(r.status()).isEqualTo(500);
                });

                wandb.outage(Duration.ZERO);
                awaitDelivered(logger, 3);
                assertThat(logger.status().buffered()).isZero();
            }
            List<FakeWandb.RunView> runs = validatorRuns(wandb);
            assertThat(runs).hasSize(1);
            List<String> logged = Files.readAllLines(subnet.stateDir().resolve("steps.jsonl"));
            assertThat(runs.get(0).history())
                    .extracting(line -> line.path("step").asLong())
                    .containsExactly(0L, 1L, 2L);
            for (int i = 0; i < 3; i++) {
                assertThat(runs.get(0)
                                .history()
                                .get(i)
                                .path("original_format_json")
                                .asText())
                        .isEqualTo(LocalSubnet.JSON
                                .readTree(logged.get(i))
                                .path("original_format_json")
                                .asText());
            }
        }
    }

    private static void awaitDelivered(RunLogger logger, long steps) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (logger.status().delivered() < steps) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("W&B did not get " + steps + " step(s): " + logger.status());
            }
            Thread.sleep(50);
        }
    }

    private static void awaitFailure(RunLogger logger) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (logger.status().lastError().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the run logger saw no failure: " + logger.status());
            }
            Thread.sleep(50);
        }
    }
}
