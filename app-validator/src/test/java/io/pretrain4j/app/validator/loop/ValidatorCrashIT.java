package io.pretrain4j.app.validator.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.app.validator.cli.AppProcess;
import io.pretrain4j.app.validator.demo.CountedModels;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.validator.*;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validator in its own JVM, killed with SIGKILL or stopped with SIGTERM in the middle of a step, then restarted. */
class ValidatorCrashIT {
    private static final long WAIT_SECONDS = 180;

    @Test
    void killMinus9DuringAStepLosesAtMostThatStepAndWeightsResumeAfterRestart(@TempDir Path dir) throws Exception {
        LocalSubnet subnet = subnetWithTwoMiners(dir);
        Path log = dir.resolve("first.log");
        Process first = start(subnet, log);
        try {
            awaitLine(first, log, "Step 2: ");
        } finally {
            first.destroyForcibly();
        }
        assertThat(first.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isEqualTo(137);

        JsonNode state = subnet.state();
        long stepsDone = state.get("globalStep").asLong();
        List<String> stepLog = Files.readAllLines(subnet.stateDir().resolve("steps.jsonl"));
        // steps 0 and 1 finished before step 2 began; step 2 may have been logged but not saved, nothing more
        assertThat(stepsDone).isGreaterThanOrEqualTo(2);
        assertThat((long) stepLog.size()).isBetween(stepsDone, stepsDone + 1);
        assertThat(state.get("lastSteps").get("1").get("rows")).hasSize(2);
        assertThat(state.get("uidsToEval").get("1")).hasSize(2);
        long weightsBlock = state.get("weightsSetBlock").asLong();
        assertThat(weightsBlock).isNotNegative();
        try (Stream<Path> files = Files.list(subnet.stateDir())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains(".bad-"));
        }

        subnet.advance(7);
        String output = restartForOneStep(subnet, dir.resolve("second.log"));
        assertThat(output)
                .contains(
                        "Restored state from",
                        "starting at step " + stepsDone,
                        "validator stopped after step " + (stepsDone + 1));
        assertThat(subnet.state().get("globalStep").asLong()).isEqualTo(stepsDone + 1);
        try (Chain chain = subnet.chain()) {
            assertThat(chain.weights(subnet.validator.ss58Address())
                            .orElseThrow()
                            .block())
                    .isEqualTo(weightsBlock + 7);
        }
    }

    /**
     * Issue 20: the state was saved after the step was published, so a kill between the two re-ran
     * the step (duplicate step numbers in steps.jsonl, weightsSetBlock older than the chain's). A kill
     * at each point between the step's effects is followed by a restart: every step number appears
     * once, none is lost, and the state knows the weights the chain holds.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"step-saved", "step-published", "weights-set"})
    void aKillAtAnyPointOfAStepsEffectsNeitherRepeatsNorLosesThem(String point, @TempDir Path dir) throws Exception {
        LocalSubnet subnet = subnetWithTwoMiners(dir);
        Path log = dir.resolve("first.log");
        ProcessBuilder builder = AppProcess.builder("validator", "--config", subnet.config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("PRETRAIN4J_TEST_HALT_AT", point);
        Process first = builder.start();
        assertThat(first.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as(Files.readString(log)).isEqualTo(137);
        assertThat(Files.readString(log)).contains("halting at crash point '" + point + "'");

        String output = restartForOneStep(subnet, dir.resolve("second.log"));
        JsonNode state = subnet.state();
        long steps = state.get("globalStep").asLong();
        assertThat(steps).as(output).isEqualTo(2);
        List<Long> logged = Files.readAllLines(subnet.stateDir().resolve("steps.jsonl")).stream()
                .map(line -> {
                    try {
                        return new com.fasterxml.jackson.databind.ObjectMapper()
                                .readTree(line)
                                .get("step")
                                .asLong();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .toList();
        assertThat(logged).as("each step once, none lost (%s)", point).containsExactly(0L, 1L);
        assertThat(state.get("unpublished")).isEmpty();
        try (Chain chain = subnet.chain()) {
            assertThat(state.get("weightsSetBlock").asLong())
                    .as(output)
                    .isEqualTo(chain.weights(subnet.validator.ss58Address())
                            .orElseThrow()
                            .block());
        }
        if (point.equals("weights-set")) {
            assertThat(output).contains("The weights prepared before the restart are on chain");
        }
    }

    @Test
    void sigtermAbandonsTheModelInProgressSavesTheStateAndExits(@TempDir Path dir) throws Exception {
        LocalSubnet subnet = subnetWithTwoMiners(dir);
        Path log = dir.resolve("run.log");
        Process process = start(subnet, log);
        try {
            awaitLine(process, log, "Step 1: ");
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(output).contains("validator stopped after step 1; state saved");
        JsonNode state = subnet.state();
        assertThat(state.get("globalStep").asLong()).isEqualTo(1);
        assertThat(Files.readAllLines(subnet.stateDir().resolve("steps.jsonl"))).hasSize(1);
    }

    /** Starts the validator again for one step and returns its output, asserting it ended cleanly. */
    private static String restartForOneStep(LocalSubnet subnet, Path log) throws IOException, InterruptedException {
        Process second = AppProcess.builder("validator", "--config", subnet.config.toString(), "--max-steps", "1")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(second.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log);
        assertThat(second.exitValue()).as(output).isZero();
        return output;
    }

    private static LocalSubnet subnetWithTwoMiners(Path dir) throws IOException {
        LocalSubnet subnet = LocalSubnet.create(dir.resolve("subnet"), 0, "");
        CountedModels counted = subnet.counted(40, 16);
        Hotkey good = subnet.miner("good");
        Hotkey worse = subnet.miner("worse");
        subnet.commit(good, subnet.publish(good, "good/model", counted.write(dir.resolve("models/good"), true)));
        subnet.commit(worse, subnet.publish(worse, "worse/model", counted.write(dir.resolve("models/worse"), false)));
        subnet.advance(10);
        return subnet;
    }

    private static Process start(LocalSubnet subnet, Path log) throws IOException {
        return AppProcess.builder("validator", "--config", subnet.config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static void awaitLine(Process process, Path log, String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            String output = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (output.contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(
                        "the validator exited (" + process.exitValue() + ") before '" + text + "':\n" + output);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + text + "' within " + WAIT_SECONDS + " s:\n" + Files.readString(log));
    }
}
