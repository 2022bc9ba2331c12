package io.pretrain4j.adapters.wandb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.ports.runlog.RunLogger;
import io.pretrain4j.testing.fakes.FakeWandb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code wandb} run logger against the loopback W&amp;B: runs, history, rotation, outages, restarts. */
class WandbRunLoggerTest {
    private static final String HOTKEY = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

    @TempDir
    Path dir;

    private FakeWandb wandb;

    @BeforeEach
    void start() {
        wandb = FakeWandb.start(dir.resolve("fake"));
        wandb.requireApiKey("logger-key");
    }

    @AfterEach
    void stop() {
        wandb.close();
    }

    private RunLogger logger(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of(
                "base-url",
                wandb.endpoint().toString(),
                "api-key",
                "logger-key",
                "entity",
                "vali",
                "project",
                "runs",
                "retry-delay",
                "50ms",
                "max-retry-delay",
                "200ms",
                "flush-timeout",
                "5s"));
        config.putAll(extra);
        return new WandbRunLoggerFactory().create(config);
    }

    private static RunLogger.RunInfo info(Path buffer) {
        return new RunLogger.RunInfo(HOTKEY, 7, 4062, "0.1.0", buffer);
    }

    private static String step(long step) {
        return "{\"time\":\"2026-11-23T10:00:0" + (step % 10) + "Z\",\"step\":" + step + ",\"uid_data\":{\"3\":2.5},"
                + "\"original_format_json\":\"{\\\"uids\\\":[3],\\\"seed\\\":" + step + "}\"}";
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private List<JsonNode> allHistory() {
        return wandb.runs("vali", "runs").reversed().stream()
                .flatMap(run -> run.history().stream())
                .toList();
    }

    @Test
    void stepsBecomeTheHistoryOfARunWithTheReferenceConfig() throws Exception {
        try (RunLogger logger = logger(Map.of())) {
            logger.start(info(dir.resolve("buffer")));
            for (int i = 0; i < 5; i++) {
                logger.log(i, step(i));
            }
            await("5 delivered", () -> logger.status().delivered() == 5);
            assertThat(logger.status().buffered()).isZero();
        }
        List<FakeWandb.RunView> runs = wandb.runs("vali", "runs");
        assertThat(runs).hasSize(1);
        FakeWandb.RunView run = runs.get(0);
        assertThat(run.displayName()).matches("validator-7-\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}");
        assertThat(run.config().path("uid").asInt()).isEqualTo(7);
        assertThat(run.config().path("hotkey").asText()).isEqualTo(HOTKEY);
        assertThat(run.config().path("type").asText()).isEqualTo("validator");
        assertThat(run.config().path("version").asLong()).isEqualTo(4062);
        assertThat(run.config().path("validator version").asText()).isEqualTo("0.1.0");
        assertThat(run.config().path("run_name").asText()).isEqualTo(run.displayName());
        assertThat(run.history()).hasSize(5);
        for (int i = 0; i < 5; i++) {
            JsonNode line = run.history().get(i);
            assertThat(line.path("_step").asInt()).isEqualTo(i);
            assertThat(line.path("step").asInt()).isEqualTo(i);
            assertThat(line.path("_timestamp").asDouble())
                    .isEqualTo(java.time.Instant.parse("2026-11-23T10:00:0" + i + "Z")
                            .getEpochSecond());
            assertThat(line.path("original_format_json").asText()).isEqualTo("{\"uids\":[3],\"seed\":" + i + "}");
        }
        assertThat(run.state())
                .as("a clean shut-down with everything delivered leaves the run running; the next start resumes it")
                .isEqualTo("running");
        assertThat(Files.size(dir.resolve("buffer").resolve(WandbRunLogger.SPOOL)))
                .as("the spool is emptied once delivered")
                .isZero();
    }

    /**
     * Issue 20: after a crash the validator publishes its last step again, not knowing whether the
     * logger took it; the logger takes each step number once, across restarts, whether the step is
     * still buffered or already delivered.
     */
    @Test
    void aStepLoggedAgainAfterARestartIsTakenOnce() throws Exception {
        wandb.outage(Duration.ofHours(1)); // W&B down: steps stay buffered
        try (RunLogger logger = logger(Map.of("flush-timeout", "100ms"))) {
            logger.start(info(dir.resolve("buffer")));
            logger.log(0, step(0));
            logger.log(1, step(1));
            logger.log(1, step(1));
            assertThat(logger.status().buffered()).isEqualTo(2);
        }
        wandb.outage(Duration.ZERO);
        try (RunLogger logger = logger(Map.of())) {
            logger.start(info(dir.resolve("buffer")));
            logger.log(1, step(1)); // buffered before the restart
            logger.log(2, step(2));
            await("3 delivered", () -> logger.status().delivered() == 3);
        }
        try (RunLogger logger = logger(Map.of())) {
            logger.start(info(dir.resolve("buffer")));
            logger.log(2, step(2)); // delivered before the restart, spool emptied since
            logger.log(3, step(3));
            await("1 delivered", () -> logger.status().delivered() == 1);
        }
        assertThat(allHistory().stream().map(line -> line.path("step").asInt()).toList())
                .containsExactly(0, 1, 2, 3);
    }

    @Test
    void aNewRunEveryStepsPerRunSteps() throws Exception {
        try (RunLogger logger = logger(Map.of("steps-per-run", "3"))) {
            logger.start(info(dir.resolve("buffer")));
            for (int i = 0; i < 7; i++) {
                logger.log(i, step(i));
            }
            await("7 delivered", () -> logger.status().delivered() == 7);
        }
        List<FakeWandb.RunView> runs = wandb.runs("vali", "runs").reversed();
        assertThat(runs).extracting(run -> run.history().size()).containsExactly(3, 3, 1);
        assertThat(runs).extracting(FakeWandb.RunView::state).containsExactly("finished", "finished", "running");
        assertThat(allHistory()).extracting(line -> line.path("step").asInt()).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(runs.get(1).history())
                .extracting(line -> line.path("_step").asInt())
                .containsExactly(0, 1, 2);
    }

    @Test
    void duringAnOutageLogNeverWaitsAndTheBufferedStepsArriveAfterwards() throws Exception {
        try (RunLogger logger = logger(Map.of())) {
            logger.start(info(dir.resolve("buffer")));
            logger.log(0, step(0));
            await("the first step", () -> logger.status().delivered() == 1);
            wandb.outage(Duration.ofSeconds(2));
            long started = System.nanoTime();
            for (int i = 1; i <= 4; i++) {
                logger.log(i, step(i));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(seconds).as("logging did not wait for W&B").isLessThan(1.0);
            await("a failure to be seen", () -> logger.status().lastError().isPresent());
            assertThat(logger.status().buffered()).isEqualTo(4);
            assertThat(logger.status().lastError().orElseThrow()).contains("HTTP 500");
            assertThat(allHistory()).hasSize(1);
            await("the buffered steps after the outage", () -> logger.status().delivered() == 5);
            assertThat(wandb.inOutage()).isFalse();
        }
        assertThat(allHistory()).extracting(line -> line.path("step").asInt()).containsExactly(0, 1, 2, 3, 4);
        assertThat(wandb.requests()).anySatisfy(r -> assertThat(r.status()).isEqualTo(500));
    }

    @Test
    void stepsBufferedWhenTheValidatorStopsAreSentByTheNextStartToTheSameRun() throws Exception {
        Path buffer = dir.resolve("buffer");
        try (RunLogger logger = logger(Map.of("flush-timeout", "200ms"))) {
            logger.start(info(buffer));
            logger.log(0, step(0));
            await("the first step", () -> logger.status().delivered() == 1);
            wandb.outage(Duration.ofSeconds(60));
            logger.log(1, step(1));
            logger.log(2, step(2));
            await("a failure to be seen", () -> logger.status().lastError().isPresent());
        }
        assertThat(allHistory()).hasSize(1);
        wandb.outage(Duration.ZERO);
        try (RunLogger logger = logger(Map.of())) {
            logger.start(info(buffer));
            assertThat(logger.status().buffered()).isEqualTo(2);
            logger.log(3, step(3));
            await("everything", () -> logger.status().delivered() == 3);
        }
        assertThat(wandb.runs("vali", "runs")).hasSize(1);
        assertThat(allHistory()).extracting(line -> line.path("step").asInt()).containsExactly(0, 1, 2, 3);
        assertThat(allHistory()).extracting(line -> line.path("_step").asInt()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aRunDeletedInW_BIsReplacedByANewRunAndNothingIsLost() throws Exception {
        try (RunLogger logger = logger(Map.of())) {
            logger.start(info(dir.resolve("buffer")));
            logger.log(0, step(0));
            logger.log(1, step(1));
            await("2 delivered", () -> logger.status().delivered() == 2);
            String first = wandb.runs("vali", "runs").get(0).name();
            wandb.deleteRun("vali", "runs", first);
            logger.log(2, step(2));
            logger.log(3, step(3));
            await("4 delivered", () -> logger.status().delivered() == 4);
        }
        List<FakeWandb.RunView> runs = wandb.runs("vali", "runs");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).history())
                .extracting(line -> line.path("step").asInt())
                .containsExactly(2, 3);
        assertThat(runs.get(0).history())
                .extracting(line -> line.path("_step").asInt())
                .containsExactly(0, 1);
    }

    @Test
    void aStepCutShortByACrashIsDroppedAndDoesNotSwallowTheNextOne() throws Exception {
        Path buffer = dir.resolve("buffer");
        Files.createDirectories(buffer);
        String cut = step(21);
        Files.writeString(buffer.resolve(WandbRunLogger.SPOOL), step(20) + "\n" + cut.substring(0, cut.length() / 2));
        try (RunLogger logger = logger(Map.of())) {
            logger.start(info(buffer));
            assertThat(logger.status().buffered()).isEqualTo(1);
            logger.log(22, step(22));
            await("both whole steps", () -> logger.status().delivered() == 2);
        }
        assertThat(allHistory()).extracting(line -> line.path("step").asInt()).containsExactly(20, 22);
    }

    @Test
    void aCorruptCursorIsSetAsideAndTheBufferIsSentToANewRun() throws Exception {
        Path buffer = dir.resolve("buffer");
        Files.createDirectories(buffer);
        Files.writeString(buffer.resolve(WandbRunLogger.SPOOL), step(10) + "\n" + step(11) + "\n");
        Files.writeString(buffer.resolve(WandbRunLogger.CURSOR), "{\"format\": 1, \"offset\": \"gar");
        try (RunLogger logger = logger(Map.of())) {
            logger.start(info(buffer));
            await("both steps", () -> logger.status().delivered() == 2);
        }
        assertThat(allHistory()).extracting(line -> line.path("step").asInt()).containsExactly(10, 11);
        try (var listing = Files.list(buffer)) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.startsWith(WandbRunLogger.CURSOR + ".bad-"));
        }
    }

    @Test
    void aFullBufferDropsNewStepsAndCountsThem() throws Exception {
        wandb.outage(Duration.ofSeconds(60));
        try (RunLogger logger = logger(Map.of("max-buffer-bytes", "65536", "flush-timeout", "0s"))) {
            logger.start(info(dir.resolve("buffer")));
            String big = step(0).replace("\"uid_data\"", "\"pad\":\"" + "x".repeat(20_000) + "\",\"uid_data\"");
            for (int i = 0; i < 5; i++) {
                logger.log(i, big);
            }
            assertThat(logger.status().buffered()).isEqualTo(3);
            assertThat(logger.status().dropped()).isEqualTo(2);
        }
    }
}
