package io.pretrain4j.app.validator.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.app.validator.ValidatorRuntime;
import io.pretrain4j.app.validator.demo.CountedModels;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.WeightsSet;
import io.pretrain4j.validator.*;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on the local adapters: local chain, local hub, disk store, shipped corpus, DJL on
 * the CPU. Five miners: a good model, a worse one, a re-upload of the good model's files under
 * another hotkey, a copy of the good model's chain commitment, and a corrupt model.
 */
class ValidatorLoopIT {
    @Test
    void theBetterModelWinsCopiesDoNotAndACorruptModelIsRejectedWithItsReason(@TempDir Path dir) throws Exception {
        LocalSubnet subnet = LocalSubnet.create(dir.resolve("subnet"), 100, "");
        CountedModels counted = subnet.counted(60, 16);
        Path good = counted.write(dir.resolve("models/good"), true);
        Path worse = counted.write(dir.resolve("models/worse"), false);
        Path corrupt = counted.write(dir.resolve("models/corrupt"), false);
        byte[] bytes = Files.readAllBytes(corrupt.resolve("model.safetensors"));
        Files.write(corrupt.resolve("model.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

        Hotkey original = subnet.miner("original");
        Hotkey weaker = subnet.miner("weaker");
        Hotkey reuploader = subnet.miner("reuploader");
        Hotkey chainCopier = subnet.miner("chain-copier");
        Hotkey broken = subnet.miner("broken");

        String originalString = subnet.publish(original, "orig/model", good);
        subnet.commit(original, originalString);
        subnet.commit(weaker, subnet.publish(weaker, "weak/model", worse));
        subnet.advance(3);
        // the same files under another repo and hotkey, committed later: equal loss, later block
        subnet.commit(reuploader, subnet.publish(reuploader, "copy/model", good));
        // the original's exact commitment, copied from the chain: its secure hash names another hotkey
        subnet.commit(chainCopier, originalString);
        subnet.commit(broken, subnet.publish(broken, "broken/model", corrupt));
        subnet.advance(100);

        StringWriter table = new StringWriter();
        try (ValidatorRuntime runtime = ValidatorRuntime.open(Optional.of(subnet.config));
                Validator validator = runtime.validator(new PrintWriter(table, true))) {
            validator.run(1);
            assertThat(validator.globalStep()).isEqualTo(1);
        }

        JsonNode state = subnet.state();
        JsonNode step = state.get("lastSteps").get("1");
        Map<Integer, JsonNode> rows = new HashMap<>();
        step.get("rows").forEach(row -> rows.put(row.get("uid").asInt(), row));
        int originalUid = subnet.uid(original);
        int weakerUid = subnet.uid(weaker);
        int reuploadUid = subnet.uid(reuploader);
        int brokenUid = subnet.uid(broken);
        int chainCopyUid = subnet.uid(chainCopier);

        assertThat(rows.keySet()).containsExactlyInAnyOrder(originalUid, weakerUid, reuploadUid, brokenUid);
        JsonNode best = rows.get(originalUid);
        assertThat(best.get("score").asDouble())
                .isLessThan(rows.get(weakerUid).get("score").asDouble());
        assertThat(best.get("winRate").asDouble()).isEqualTo(1.0);
        assertThat(best.get("competitionWeight").asDouble()).isGreaterThan(0.99);
        // the re-upload has exactly the original's loss but the later block: it is filtered out and gets nothing
        JsonNode copy = rows.get(reuploadUid);
        assertThat(copy.get("score").asDouble()).isEqualTo(best.get("score").asDouble());
        assertThat(copy.get("winRate").asDouble()).isZero();
        assertThat(copy.get("competitionWeight").asDouble()).isLessThan(0.001);
        // the corrupt model scores +inf with the loader's reason; the step went on
        JsonNode corruptRow = rows.get(brokenUid);
        assertThat(corruptRow.get("score").isNull()).isTrue();
        assertThat(corruptRow.get("reason").asText()).containsIgnoringCase("safetensors");
        // the chain copy never reached evaluation: rejected at sync with the reason recorded
        JsonNode copied = state.get("models").get(chainCopier.ss58Address());
        assertThat(copied.get("rejection").asText()).contains("secure hash").contains("copied");
        assertThat(state.get("uidsToEval").get("1").toString()).doesNotContain(Integer.toString(chainCopyUid) + ",");

        try (Chain chain = subnet.chain()) {
            WeightsSet weights = chain.weights(subnet.validator.ss58Address()).orElseThrow();
            int top = -1;
            int topValue = -1;
            for (int i = 0; i < weights.uids().length; i++) {
                if (weights.weights()[i] > topValue) {
                    top = weights.uids()[i];
                    topValue = weights.weights()[i];
                }
            }
            assertThat(top).isEqualTo(originalUid);
            assertThat(topValue).isEqualTo(65535);
            // the step log's subnet weights (weight_data, norm_weight) and the weights on chain are one computation:
            // shares agree to u16 rounding
            List<String> steps = Files.readAllLines(subnet.stateDir().resolve("steps.jsonl"));
            JsonNode subnetWeights =
                    LocalSubnet.JSON.readTree(steps.get(steps.size() - 1)).get("weight_data");
            double total = java.util.Arrays.stream(weights.weights()).sum();
            for (int i = 0; i < weights.uids().length; i++) {
                assertThat(subnetWeights
                                .get(Integer.toString(weights.uids()[i]))
                                .asDouble())
                        .as("uid %d", weights.uids()[i])
                        .isCloseTo(weights.weights()[i] / total, within(1e-4));
            }
        }
        assertThat(table.toString()).contains("orig/model@", "copy/model@", "broken/model@", "kept");

        List<String> log = Files.readAllLines(subnet.stateDir().resolve("steps.jsonl"));
        assertThat(log).hasSize(1);
        // the audit recomputes the logged step from its own losses and blocks and finds nothing to report
        var schedule = io.pretrain4j.app.validator.cli.AuditCommand.loadSchedule(
                subnet.dir.resolve("schedule.json").toString());
        var audited = io.pretrain4j.app.validator.cli.AuditCommand.audit(1, log.get(0), schedule, 0.01);
        assertThat(audited.error()).isNull();
        assertThat(audited.differences()).isEmpty();
        JsonNode line = LocalSubnet.JSON.readTree(log.get(0));
        assertThat(line.get("step_competition_id").asInt()).isEqualTo(1);
        assertThat(line.get("win_rate_data").get(Integer.toString(originalUid)).asDouble())
                .isEqualTo(1.0);
        assertThat(line.get("uid_data").get(Integer.toString(brokenUid)).isNull())
                .isTrue();
        JsonNode originalFormat =
                LocalSubnet.JSON.readTree(line.get("original_format_json").asText());
        assertThat(originalFormat
                        .get("uid_data")
                        .get(Integer.toString(originalUid))
                        .get("average_loss")
                        .asDouble())
                .isCloseTo(best.get("score").asDouble(), within(1e-12));
        assertThat(originalFormat.get("pages").get(0).asText()).contains(":default_");
    }

    /** Issue 20: numbers past any range in config.json and in a sharded index are each a one-line rejection, not a stack trace per look. */
    @Test
    void modelsWithOutOfRangeNumbersAreRejectedOnceWithTheReason(@TempDir Path dir) throws Exception {
        LocalSubnet subnet = LocalSubnet.create(dir.resolve("subnet"), 100, "");
        CountedModels counted = subnet.counted(60, 16);
        Path good = counted.write(dir.resolve("models/good"), true);
        Path hugeConfig = counted.write(dir.resolve("models/huge-config"), false);
        Files.writeString(
                hugeConfig.resolve("config.json"),
                Files.readString(hugeConfig.resolve("config.json"))
                        .replaceFirst("\"hidden_size\": *[0-9]+", "\"hidden_size\": 1e999999999999"));
        Path hugeIndex = counted.write(dir.resolve("models/huge-index"), false);
        Files.move(hugeIndex.resolve("model.safetensors"), hugeIndex.resolve("model-00001-of-00001.safetensors"));
        Files.writeString(
                hugeIndex.resolve("model.safetensors.index.json"),
                "{\"metadata\": {\"total_size\": 1e999999999999}, \"weight_map\": "
                        + "{\"model.embed_tokens.weight\": \"model-00001-of-00001.safetensors\"}}");
        Hotkey goodMiner = subnet.miner("good");
        Hotkey hugeConfigMiner = subnet.miner("huge-config");
        Hotkey hugeIndexMiner = subnet.miner("huge-index");
        subnet.commit(goodMiner, subnet.publish(goodMiner, "good/model", good));
        subnet.commit(hugeConfigMiner, subnet.publish(hugeConfigMiner, "huge/config", hugeConfig));
        subnet.commit(hugeIndexMiner, subnet.publish(hugeIndexMiner, "huge/index", hugeIndex));
        subnet.advance(100);

        try (ValidatorRuntime runtime = ValidatorRuntime.open(Optional.of(subnet.config));
                Validator validator = runtime.validator(new PrintWriter(new StringWriter(), true))) {
            validator.run(3);
        }
        JsonNode state = subnet.state();
        assertThat(state.get("models")
                        .get(hugeConfigMiner.ss58Address())
                        .get("rejection")
                        .asText())
                .contains("\"hidden_size\" must be an integer in 1..", "not Infinity");
        Map<Integer, JsonNode> rows = new HashMap<>();
        state.get("lastSteps")
                .get("1")
                .get("rows")
                .forEach(row -> rows.put(row.get("uid").asInt(), row));
        JsonNode indexRow = rows.get(subnet.uid(hugeIndexMiner));
        assertThat(indexRow).as(rows.toString()).isNotNull();
        assertThat(indexRow.get("score").isNull()).isTrue();
        assertThat(indexRow.get("reason").asText()).contains("index is not well-formed JSON: number out of range");
        assertThat(rows.get(subnet.uid(goodMiner)).get("score").isNull()).isFalse();
    }

    @Test
    void aTaskWhoseDatasetFailsIsSkippedAndTheOtherTasksWeightsRenormalised(@TempDir Path dir) throws Exception {
        LocalSubnet subnet = LocalSubnet.create(
                dir.resolve("subnet"), 100, "pretrain4j.validator.task-datasets { GONE = not-configured }\n");
        String schedule = Files.readString(subnet.dir.resolve("schedule.json"));
        String brown =
                "{ \"name\": \"BROWN\", \"method\": \"TEXT_LOSS\", \"dataset\": \"local\", \"normalization\": \"NONE\", \"weight\": 1.0,";
        assertThat(schedule).contains(brown);
        Files.writeString(
                subnet.dir.resolve("schedule.json"), schedule.replace(brown, """
                { "name": "GONE", "method": "TEXT_LOSS", "dataset": "GONE", "normalization": "NONE", "weight": 0.4, "datasetKwargs": {} },
                """ + brown.replace("1.0", "0.6")));
        CountedModels counted = subnet.counted(40, 16);
        Hotkey miner = subnet.miner("miner");
        subnet.commit(miner, subnet.publish(miner, "only/model", counted.write(dir.resolve("model"), true)));
        subnet.advance(100);
        try (ValidatorRuntime runtime = ValidatorRuntime.open(Optional.of(subnet.config));
                Validator validator = runtime.validator(new PrintWriter(new StringWriter(), true))) {
            validator.run(1);
        }
        JsonNode row = subnet.state().get("lastSteps").get("1").get("rows").get(0);
        assertThat(row.get("taskScores").has("GONE")).isFalse();
        // the remaining task carries the whole score: 0.6 * brown / 0.6
        assertThat(row.get("score").asDouble())
                .isCloseTo(row.get("taskScores").get("BROWN").asDouble(), within(1e-12));
        assertThat(row.get("competitionWeight").asDouble()).isEqualTo(1.0);
    }

    @Test
    void aModelPastThePerModelTimeLimitScoresInfinityAndTheStepGoesOn(@TempDir Path dir) throws Exception {
        LocalSubnet subnet =
                LocalSubnet.create(dir.resolve("subnet"), 100, "pretrain4j.validator.model-time-limit = 1ms\n");
        CountedModels counted = subnet.counted(40, 16);
        Hotkey first = subnet.miner("first");
        Hotkey second = subnet.miner("second");
        subnet.commit(first, subnet.publish(first, "first/model", counted.write(dir.resolve("a"), true)));
        subnet.commit(second, subnet.publish(second, "second/model", counted.write(dir.resolve("b"), false)));
        subnet.advance(100);
        try (ValidatorRuntime runtime = ValidatorRuntime.open(Optional.of(subnet.config));
                Validator validator = runtime.validator(new PrintWriter(new StringWriter(), true))) {
            validator.run(1);
            assertThat(validator.globalStep()).isEqualTo(1);
        }
        JsonNode rows = subnet.state().get("lastSteps").get("1").get("rows");
        assertThat(rows).hasSize(2);
        rows.forEach(row -> {
            assertThat(row.get("score").isNull()).isTrue();
            assertThat(row.get("reason").asText()).isEqualTo("exceeded the per-model time limit of 1 ms");
        });
        try (Chain chain = subnet.chain()) {
            assertThat(chain.weights(subnet.validator.ss58Address()))
                    .as("no model was competitive: no weights")
                    .isEmpty();
        }
    }

    @Test
    void losersAreDroppedAndNotRetriedUntilAStakedValidatorWeightsThemHeavily(@TempDir Path dir) throws Exception {
        LocalSubnet subnet = LocalSubnet.create(dir.resolve("subnet"), 0, "pretrain4j.validator.sample-min = 1\n");
        CountedModels counted = subnet.counted(40, 16);
        Hotkey good = subnet.miner("good");
        Hotkey bad = subnet.miner("bad");
        subnet.commit(good, subnet.publish(good, "good/model", counted.write(dir.resolve("good"), true)));
        subnet.commit(bad, subnet.publish(bad, "bad/model", counted.writeUntrained(dir.resolve("bad"), 3)));
        subnet.advance(10);
        int goodUid = subnet.uid(good);
        int badUid = subnet.uid(bad);
        try (ValidatorRuntime runtime = ValidatorRuntime.open(Optional.of(subnet.config));
                Validator validator = runtime.validator(new PrintWriter(new StringWriter(), true))) {
            validator.run(1);
            assertThat(uidsOfLastStep(subnet)).containsExactlyInAnyOrder(goodUid, badUid);
            // sample-min 1: only the winner is kept; the loser lost by far more than epsilon, so the retry
            // rule leaves it out
            validator.run(1);
            assertThat(uidsOfLastStep(subnet)).containsExactly(goodUid);

            // another validator with a permit and enough stake puts its weight on the loser: the top-model
            // scan brings it back
            Hotkey other = subnet.wallets.create("other-validator", "default");
            try (Chain chain = subnet.chain()) {
                ((io.pretrain4j.ports.chain.ChainAdmin) chain)
                        .register(other.ss58Address(), other.ss58Address(), 60_000L * 1_000_000_000L);
                chain.setWeights(other, List.of(badUid), List.of(65535), 4062);
            }
            // ...once its last evaluation is model-retry-cadence (300) blocks old
            subnet.advance(299);
            validator.run(1);
            assertThat(uidsOfLastStep(subnet)).containsExactly(goodUid);
            subnet.advance(1);
            validator.run(1);
            assertThat(uidsOfLastStep(subnet)).containsExactlyInAnyOrder(goodUid, badUid);
        }
    }

    private static List<Integer> uidsOfLastStep(LocalSubnet subnet) throws java.io.IOException {
        List<Integer> uids = new java.util.ArrayList<>();
        subnet.state()
                .get("lastSteps")
                .get("1")
                .get("rows")
                .forEach(row -> uids.add(row.get("uid").asInt()));
        return uids;
    }

    @Test
    void aSlowDownloadRunsInTheBackgroundWhileTheStepEvaluatesAndJoinsTheNextStep(@TempDir Path dir) throws Exception {
        try (io.pretrain4j.testing.fakes.FakeHub hub =
                io.pretrain4j.testing.fakes.FakeHub.start(dir.resolve("fake-hub"))) {
            LocalSubnet subnet = LocalSubnet.create(
                    dir.resolve("subnet"),
                    0,
                    "pretrain4j.store.remote = hf\n"
                            + "pretrain4j.store.remote-config = null\n"
                            + "pretrain4j.store.remote-config { endpoint = \"" + hub.endpoint()
                            + "\", token = \"hf_validator\" }\n");
            CountedModels counted = subnet.counted(40, 16);
            Hotkey first = subnet.miner("first");
            Hotkey second = subnet.miner("second");
            subnet.commit(first, subnet.publish(first, "first/model", counted.write(dir.resolve("a"), true)));
            subnet.advance(10);
            try (ValidatorRuntime runtime = ValidatorRuntime.open(Optional.of(subnet.config));
                    Validator validator = runtime.validator(new PrintWriter(new StringWriter(), true))) {
                validator.run(1);
                assertThat(uidsOfLastStep(subnet)).containsExactly(subnet.uid(first));

                String chainString = subnet.publish(second, "second/model", counted.write(dir.resolve("b"), false));
                subnet.commit(second, chainString);
                subnet.advance(10);
                // the second model's files now arrive slowly: 512 KiB every 700 ms, about 9 s for its 6.4 MB
                hub.enqueueTransfer(
                        new io.pretrain4j.testing.fakes.FakeHub.Fault.Drip(
                                512 * 1024, java.time.Duration.ofMillis(700)),
                        2);
                long started = System.nanoTime();
                validator.run(1);
                double seconds = (System.nanoTime() - started) / 1e9;
                assertThat(uidsOfLastStep(subnet))
                        .as("the step did not wait for the download")
                        .containsExactly(subnet.uid(first));
                assertThat(seconds)
                        .as("the step ran while the download dripped")
                        .isLessThan(7.0);

                io.pretrain4j.ports.store.ModelKey key = new io.pretrain4j.ports.store.ModelKey(
                        second.ss58Address(),
                        "second/model",
                        io.pretrain4j.domain.model.ModelId.parse(chainString)
                                .commit()
                                .orElseThrow());
                var local = subnet.injector
                        .getInstance(io.pretrain4j.launcher.Stores.class)
                        .local();
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (local.find(key).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                validator.run(1);
                assertThat(uidsOfLastStep(subnet)).containsExactlyInAnyOrder(subnet.uid(first), subnet.uid(second));
            }
        }
    }
}
