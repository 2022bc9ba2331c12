package io.pretrain4j.adapters.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.formats.config.ModelConfigReader;
import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.inference.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same verdict and the same losses as the reference: each case of
 * {@code transformers/verdicts.json} (made by {@code src/test/python/transformers_verdicts.py} with
 * transformers itself) is a repo that transformers either loaded and evaluated (with these per-window
 * losses, float32) or refused. pretrain4j reads the config, loads the weights and evaluates the same
 * windows; it must accept exactly what transformers accepted, with losses within 5e-7 relative, build the
 * same class (which the architecture constraint applies to), and refuse what transformers refused.
 * One decision differs on purpose: a config with more layers than the weights hold is loaded by
 * transformers with the missing layers initialised at random (a loss no two validators share), and
 * refused here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransformersVerdictsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private InferenceBackend backend;

    @TempDir
    Path dir;

    @BeforeAll
    void start() {
        backend = new DjlBackendFactory().create(Map.of());
    }

    @AfterAll
    void stop() {
        backend.close();
    }

    @TestFactory
    List<DynamicTest> everyRepoGetsTransformersVerdict() throws IOException {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/transformers/verdicts.json")) {
            golden = JSON.readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : golden.get("cases")) {
            tests.add(DynamicTest.dynamicTest(
                    c.get("name").asText() + ": " + c.get("about").asText() + " -> "
                            + c.get("transformers").asText(),
                    () -> check(c)));
        }
        assertThat(tests).hasSizeGreaterThan(35);
        return tests;
    }

    private void check(JsonNode c) throws IOException {
        Path repo = dir.resolve(c.get("name").asText());
        Files.createDirectories(repo);
        for (Iterator<Map.Entry<String, JsonNode>> it = c.get("files").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> file = it.next();
            try (InputStream in = getClass()
                    .getResourceAsStream("/transformers/" + file.getValue().asText())) {
                Files.write(repo.resolve(file.getKey()), in.readAllBytes());
            }
        }
        List<int[]> windows = new ArrayList<>();
        for (JsonNode w : c.get("windows")) {
            int[] tokens = new int[w.size()];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = w.get(i).asInt();
            }
            windows.add(tokens);
        }
        boolean accepted = c.get("transformers").asText().equals("ok");
        if (accepted && c.get("deterministic").asBoolean()) {
            ModelConfig config = ModelConfigReader.read(repo);
            assertThat(config.architecture()).isEqualTo(c.get("class").asText());
            try (CausalLanguageModel model = backend.load(repo)) {
                double[] losses = model.windowLosses(windows);
                JsonNode expected = c.get("losses");
                assertThat(losses).hasSize(expected.size());
                for (int i = 0; i < losses.length; i++) {
                    double reference = expected.get(i).asDouble();
                    assertThat(losses[i]).as("window " + i).isCloseTo(reference, within(5e-7 * Math.abs(reference)));
                }
            }
        } else {
            assertThatThrownBy(() -> {
                        ModelConfigReader.read(repo);
                        try (CausalLanguageModel model = backend.load(repo)) {
                            model.windowLosses(windows);
                        }
                    })
                    .as(
                            accepted
                                    ? "loaded by transformers with random layers: refused here"
                                    : "transformers refused: " + c.path("error").asText())
                    .isInstanceOf(Pretrain4jException.class);
        }
    }
}
