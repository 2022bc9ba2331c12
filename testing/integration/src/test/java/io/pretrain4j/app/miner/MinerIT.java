package io.pretrain4j.app.miner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretrain4j.app.miner.cli.MinerMain;
import io.pretrain4j.app.validator.ValidatorRuntime;
import io.pretrain4j.formats.safetensors.SyntheticModels;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.WeightsSet;
import io.pretrain4j.validator.Validator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The miner end to end on the local subnet: train a small model on the shipped corpus, publish it
 * when its held-out loss is under the threshold, publish an untrained one from another hotkey, and
 * let the validator rank them.
 */
class MinerIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTrainedModelIsPublishedCommittedAndRankedAboveAnUntrainedOne(@TempDir Path dir) throws Exception {
        MinerSubnet subnet = new MinerSubnet(dir.resolve("subnet"), "");
        Hotkey miner = subnet.register("miner", 0);
        Hotkey other = subnet.register("other", 0);

        Run trained = run(
                "train",
                "--config",
                subnet.config.toString(),
                "--competition-id",
                "1",
                "--model-size",
                "tiny-gpt2",
                "--steps",
                "60",
                "--batch-size",
                "4",
                "--lr",
                "5e-3",
                "--warmup-steps",
                "5",
                "--eval-every",
                "0",
                "--log-every",
                "20",
                "--checkpoint-every",
                "30",
                "--avg-loss-upload-threshold",
                "9.5",
                "--hf-repo-id",
                "miner/trained",
                "--make-public");
        assertThat(trained.exit()).as(trained.err()).isZero();
        assertThat(trained.out())
                .contains("step 20/60", "step 60/60", "committed miner:trained:", "read back and matched");
        List<String> log = Files.readAllLines(dir.resolve("subnet/local-models/train-log.jsonl"));
        double before = JSON.readTree(log.get(0)).get("held_out_loss").asDouble();
        double after =
                JSON.readTree(log.get(log.size() - 1)).get("held_out_loss").asDouble();
        assertThat(before).isGreaterThan(10.5);
        assertThat(after).isLessThan(before - 1.5);
        assertThat(JSON.readTree(log.get(1)).get("tokens_per_s").asDouble()).isPositive();
        assertThat(dir.resolve("subnet/local-models/checkpoints/step-00000030/trainer.json"))
                .exists();

        // the untrained rival: same architecture, random weights, committed by another hotkey
        Path untrained =
                SyntheticModels.write(dir.resolve("untrained"), io.pretrain4j.app.miner.cli.TestSizes.tinyGpt2(128));
        subnet.advance(1);
        Run published = run(
                "publish",
                "--config",
                subnet.config.toString(),
                "--dir",
                untrained.toString(),
                "--repo",
                "other/untrained",
                "--competition-id",
                "1",
                "--wallet",
                "other",
                "--make-public");
        assertThat(published.exit()).as(published.err()).isZero();
        JsonNode result = JSON.readTree(published.out());
        assertThat(result.get("chainString").asText()).startsWith("other:untrained:");

        subnet.advance(10);
        try (ValidatorRuntime runtime = ValidatorRuntime.open(Optional.of(subnet.config));
                Validator validator = runtime.validator(new PrintWriter(new StringWriter(), true))) {
            validator.run(1);
        }
        int minerUid;
        int otherUid;
        try (Chain chain = subnet.chain()) {
            minerUid = chain.metagraph()
                    .byHotkey(miner.ss58Address())
                    .orElseThrow()
                    .uid();
            otherUid = chain.metagraph()
                    .byHotkey(other.ss58Address())
                    .orElseThrow()
                    .uid();
            WeightsSet weights = chain.weights(subnet.validator.ss58Address()).orElseThrow();
            assertThat(weights.uids()).containsExactly(minerUid);
        }
        JsonNode state = JSON.readTree(dir.resolve("subnet/state/state.json").toFile());
        double trainedScore = Double.NaN;
        double untrainedScore = Double.NaN;
        for (JsonNode row : state.get("lastSteps").get("1").get("rows")) {
            if (row.get("uid").asInt() == minerUid) {
                trainedScore = row.get("score").asDouble();
            } else if (row.get("uid").asInt() == otherUid) {
                untrainedScore = row.get("score").asDouble();
            }
        }
        assertThat(trainedScore).isLessThan(untrainedScore - 1.5);

        // continuing from the chain: the uid's committed model, and the best one (the validator's weight is
        // on the trained model)
        for (String[] source :
                List.of(new String[] {"--load-uid", Integer.toString(minerUid)}, new String[] {"--load-best"})) {
            List<String> args = new java.util.ArrayList<>(List.of(
                    "train",
                    "--config",
                    subnet.config.toString(),
                    "--competition-id",
                    "1",
                    "--steps",
                    "1",
                    "--batch-size",
                    "2",
                    "--eval-every",
                    "0",
                    "--offline",
                    "--output",
                    dir.resolve("continued").toString()));
            args.addAll(List.of(source));
            Run continued = run(args.toArray(String[]::new));
            assertThat(continued.exit()).as(continued.err()).isZero();
            double start =
                    Double.parseDouble(continued.out().replaceAll("(?s).*held-out loss at step 0: ([0-9.]+).*", "$1"));
            assertThat(start)
                    .as(String.join(" ", source))
                    .isCloseTo(after, org.assertj.core.api.Assertions.within(0.05));
        }
    }

    @Test
    void offlineNeverPublishesAndAResumedRunContinuesFromItsCheckpoint(@TempDir Path dir) throws Exception {
        MinerSubnet subnet = new MinerSubnet(dir.resolve("subnet"), "");
        Hotkey miner = subnet.register("miner", 0);
        Run first = run(
                "train",
                "--config",
                subnet.config.toString(),
                "--competition-id",
                "1",
                "--model-size",
                "tiny-gpt2",
                "--steps",
                "8",
                "--batch-size",
                "2",
                "--eval-every",
                "0",
                "--checkpoint-every",
                "4",
                "--offline",
                "--avg-loss-upload-threshold",
                "99",
                "--hf-repo-id",
                "miner/x");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("--offline: not publishing");
        Path checkpoint = dir.resolve("subnet/local-models/checkpoints/step-00000004");
        Run resumed = run(
                "train",
                "--config",
                subnet.config.toString(),
                "--competition-id",
                "1",
                "--resume",
                checkpoint.toString(),
                "--steps",
                "8",
                "--batch-size",
                "2",
                "--eval-every",
                "0",
                "--offline",
                "--output",
                dir.resolve("resumed").toString());
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resumed " + checkpoint + " at step 4", "trained 4 steps");
        // resuming at step 4 of the same data and seed reproduces the uninterrupted run's model
        assertThat(Files.readAllBytes(dir.resolve("resumed/model.safetensors")))
                .isEqualTo(Files.readAllBytes(dir.resolve("subnet/local-models/final/model.safetensors")));
        try (Chain chain = subnet.chain()) {
            assertThat(chain.commitment(miner.ss58Address())).isEmpty();
        }
        // weights from a safetensors file into the architecture of a config.json
        Path finalModel = dir.resolve("subnet/local-models/final");
        Run fromFile = run(
                "train",
                "--config",
                subnet.config.toString(),
                "--competition-id",
                "1",
                "--load-model",
                finalModel.resolve("model.safetensors").toString(),
                "--model-config",
                finalModel.resolve("config.json").toString(),
                "--steps",
                "1",
                "--batch-size",
                "2",
                "--eval-every",
                "0",
                "--offline",
                "--output",
                dir.resolve("from-file").toString());
        assertThat(fromFile.exit()).as(fromFile.err()).isZero();
        assertThat(fromFile.out()).contains("model: GPT2LMHeadModel");
        Run twoSources = run(
                "train",
                "--config",
                subnet.config.toString(),
                "--competition-id",
                "1",
                "--model-size",
                "tiny-gpt2",
                "--load-best",
                "--offline");
        assertThat(twoSources.exit()).isEqualTo(2);
        assertThat(twoSources.err()).contains("choose one of --model-size");
        Run refused = run(
                "train", "--config", subnet.config.toString(), "--competition-id", "7", "--offline", "--steps", "1");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("competition 7 is not active", "1 (DEMO)");
    }

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = MinerMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
