package io.pretrain4j.validator.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonStateStoreTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aSavedStateComesBackWhole(@TempDir Path dir) throws java.io.IOException {
        JsonStateStore store = new JsonStateStore(dir, CLOCK);
        ValidatorState state = sample();
        store.save(state);
        ValidatorState loaded = store.load(4062);
        assertThat(loaded.globalStep).isEqualTo(17);
        assertThat(loaded.uidsToEval).isEqualTo(state.uidsToEval);
        assertThat(loaded.pending).isEqualTo(state.pending);
        assertThat(loaded.models).isEqualTo(state.models);
        assertThat(loaded.models.get("5Hk").historyOf(1).get(0).score()).isInfinite();
        assertThat(loaded.competitionWeights.get(1)).containsExactly(0.0, 0.25, 0.75);
        assertThat(loaded.lastSteps).isEqualTo(state.lastSteps);
        assertThat(loaded.weightsSetBlock).isEqualTo(99);
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary left")
                    .noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void aCorruptStateFileIsMovedAsideAndTheValidatorStartsClean(@TempDir Path dir) throws Exception {
        JsonStateStore store = new JsonStateStore(dir, CLOCK);
        store.save(sample());
        String good = Files.readString(store.file());
        Files.writeString(store.file(), good.substring(0, good.length() / 2));
        ValidatorState loaded = store.load(4062);
        assertThat(loaded.globalStep).isZero();
        assertThat(loaded.models).isEmpty();
        assertThat(store.file()).doesNotExist();
        Path aside = dir.resolve("state.json.bad-20261123-100000");
        assertThat(Files.readString(aside)).isEqualTo(good.substring(0, good.length() / 2));
    }

    @Test
    void implausibleContentAndOtherFormatsAreMovedAsideToo(@TempDir Path dir) throws Exception {
        JsonStateStore store = new JsonStateStore(dir, CLOCK);
        for (String content : List.of(
                "[]",
                "{\"format\": 99}",
                "{\"format\": 1, \"globalStep\": -3}",
                "{\"format\": 1, \"surprise\": true}",
                "{\"format\": 1, \"neurons\": 2, \"competitionWeights\": {\"1\": [0.5, 0.5, 0.5]}}",
                "{\"format\": 1, \"neurons\": 2, \"competitionWeights\": {\"1\": [\"NaN\", 0.5]}}",
                "\u0000\u0001binary")) {
            Files.writeString(store.file(), content);
            assertThat(store.load(4062).globalStep).as(content).isZero();
            assertThat(store.file()).as(content).doesNotExist();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("state.json.bad-")))
                    .as("each bad file is kept")
                    .hasSize(7);
        }
    }

    /**
     * Issue 20: each of these was restored and then stuck the validator (a re-evaluation livelock, a
     * NullPointerException on every look, a uid scored +inf forever, a negative step saved). Each is
     * moved aside whole, with the wrong field named in the warning.
     */
    @Test
    void wrongShapedStatesAreMovedAsideWholeNamingTheField(@TempDir Path dir) throws Exception {
        JsonStateStore store = new JsonStateStore(dir, CLOCK);
        store.save(sample());
        String good = Files.readString(store.file());
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(
                "models[\"5Hk\"].history[\"1\"][0] is null",
                good.replaceFirst(
                        "(?s)\"history\" : \\{\\s*\"1\" : \\[.*?\\]\\s*\\}", "\"history\" : {\"1\" : [null]}"));
        cases.put(
                "models[\"5Hk\"].chainString is missing or null",
                good.replace("\"chainString\" : \"a/b:0123:None:xyz:1\"", "\"chainString\" : null"));
        cases.put(
                "models[\"5Hk\"].hotkey is \"5Zz\", not the hotkey it is filed under",
                good.replace("\"hotkey\" : \"5Hk\"", "\"hotkey\" : \"5Zz\""));
        cases.put(
                "globalStep is 9223372036854775807, outside 0..9007199254740992",
                good.replace("\"globalStep\" : 17", "\"globalStep\" : 9223372036854775807"));
        cases.put(
                "uidsToEval[\"1\"] element is 70000",
                good.replaceFirst(
                        "\"uidsToEval\" : \\{\\s*\"1\" : \\[ 1, 2 \\]", "\"uidsToEval\" : {\"1\" : [ 1, 70000 ]"));
        cases.put("history[\"1\"][1].score is -2.4, not a loss", good.replace("\"score\" : 2.4,", "\"score\" : -2.4,"));
        cases.put("nesting depth", "{\"format\": 1, \"lastSteps\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertThat(c.getValue()).as("the case is built from the good file").isNotEqualTo(good);
            Files.writeString(store.file(), c.getValue());
            List<String> warnings = new java.util.ArrayList<>();
            java.util.logging.Logger logger = java.util.logging.Logger.getLogger(JsonStateStore.class.getName());
            java.util.logging.Handler handler = new java.util.logging.Handler() {
                @Override
                public void publish(java.util.logging.LogRecord record) {
                    warnings.add(java.text.MessageFormat.format(record.getMessage(), record.getParameters()));
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };
            logger.addHandler(handler);
            try {
                ValidatorState loaded = store.load(4062);
                assertThat(loaded.globalStep).as(c.getKey()).isZero();
                assertThat(loaded.models).as(c.getKey()).isEmpty();
            } finally {
                logger.removeHandler(handler);
            }
            assertThat(store.file()).as(c.getKey()).doesNotExist();
            assertThat(warnings).as(c.getKey()).anyMatch(w -> w.contains("moved it to") && w.contains(c.getKey()));
        }
    }

    @Test
    void aStateFileThatIsAFifoIsMovedAsideInsteadOfBlockingStartUp(@TempDir Path dir) throws Exception {
        JsonStateStore store = new JsonStateStore(dir, CLOCK);
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", store.file().toString()).start();
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no mkfifo here: " + e);
            return;
        }
        assertThat(mkfifo.waitFor()).isZero();
        java.util.concurrent.CompletableFuture<ValidatorState> loading =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> store.load(4062));
        ValidatorState loaded = loading.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(loaded.globalStep).isZero();
        assertThat(store.file()).doesNotExist();
        assertThat(store.peek().orElse(null)).isNull();
    }

    /** Issue 20: a rejection reason quoting a server that echoed the token put it into state.json (0644). */
    @Test
    void registeredSecretsNeverReachTheStateFile(@TempDir Path dir) throws Exception {
        io.pretrain4j.domain.Secrets.register("hf_StateSecret99", "Bearer hf_StateSecret99");
        JsonStateStore store = new JsonStateStore(dir, CLOCK);
        ValidatorState state = sample();
        TrackedModel model = state.models.get("5Hk");
        state.models.put(
                "5Hk",
                model.withRejection("download failed: HTTP 502: request had Authorization: Bearer hf_StateSecret99"));
        store.save(state);
        assertThat(Files.readString(store.file()))
                .doesNotContain("hf_StateSecret99")
                .contains("Authorization: <redacted>");
    }

    @Test
    void theStateFileIsReadableByItsOwnerOnly(@TempDir Path dir) throws Exception {
        JsonStateStore store = new JsonStateStore(dir, CLOCK);
        store.save(sample());
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.FileSystems.getDefault()
                .supportedFileAttributeViews()
                .contains("posix"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())))
                .isEqualTo("rw-------");
    }

    @Test
    void anotherVersionKeyDropsEvaluationsButKeepsWeights(@TempDir Path dir) {
        JsonStateStore store = new JsonStateStore(dir, CLOCK);
        store.save(sample());
        ValidatorState loaded = store.load(4070);
        assertThat(loaded.versionKey).isEqualTo(4070);
        assertThat(loaded.models).isEmpty();
        assertThat(loaded.uidsToEval).isEmpty();
        assertThat(loaded.pending).isEmpty();
        assertThat(loaded.globalStep).isEqualTo(17);
        assertThat(loaded.competitionWeights.get(1)).containsExactly(0.0, 0.25, 0.75);
    }

    private static ValidatorState sample() {
        ValidatorState state = new ValidatorState();
        state.versionKey = 4062;
        state.globalStep = 17;
        state.neurons = 3;
        state.uidsToEval.put(1, new TreeSet<>(List.of(1, 2)));
        state.pending.put(1, new TreeSet<>(List.of(2)));
        state.models.put(
                "5Hk",
                new TrackedModel(
                        "5Hk",
                        2,
                        "a/b:0123:None:xyz:1",
                        40,
                        1,
                        "a/b",
                        "0123",
                        "hash=",
                        "",
                        Map.of(
                                1,
                                List.of(
                                        new Evaluated(50, Double.POSITIVE_INFINITY, 30, 2.5),
                                        new Evaluated(60, 2.4, 30, 2.5)))));
        state.competitionWeights.put(1, new double[] {0, 0.25, 0.75});
        state.weightsSetBlock = 99;
        state.lastSteps.put(
                1,
                new StepReport(
                        16,
                        1,
                        "B3",
                        60,
                        1_000,
                        "12345",
                        Map.of("FINEWEB", List.of("FW:default_1_train")),
                        List.of(
                                new Row(
                                        2,
                                        "5Hk",
                                        "a/b@0123",
                                        40,
                                        2.4,
                                        Map.of("FINEWEB", 2.4),
                                        0.005,
                                        1.0,
                                        1,
                                        1.0,
                                        0.75,
                                        ""),
                                new Row(1, "5Gx", "", -1, null, Map.of(), 0, 0, 0, 0, 0.25, "no model"))));
        return state;
    }
}
