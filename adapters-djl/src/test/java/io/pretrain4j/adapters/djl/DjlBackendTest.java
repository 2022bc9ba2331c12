package io.pretrain4j.adapters.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.eval.OutputSanity;
import io.pretrain4j.domain.eval.TextLoss;
import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.domain.model.ModelSpec.Family;
import io.pretrain4j.formats.safetensors.SafetensorsModel;
import io.pretrain4j.formats.safetensors.SafetensorsWriter;
import io.pretrain4j.formats.safetensors.SyntheticModels;
import io.pretrain4j.plugins.testkit.inference.InferenceBackendContract;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.inference.InferenceErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DjlBackendTest {
    private InferenceBackend backend;

    @BeforeAll
    void start() {
        backend = new DjlBackendFactory().create(Map.of());
    }

    @AfterAll
    void stop() {
        backend.close();
    }

    @Test
    void describesItselfAndMeasuresMatmul() {
        assertThat(backend.description()).contains("PyTorch 2.7.1", "cpu", "fp32", "1024 tokens per batch");
        assertThat(backend.matmulGflops(128).orElseThrow()).isPositive();
    }

    /**
     * Issue 20: each load left its weight staging buffer (direct) and a memory map of every tensor
     * behind until a garbage collection, so a validator grew by about the model's size per load. Loads
     * and evaluations now leave nothing in the JVM's direct and mapped buffer pools. No System.gc():
     * what only a collection frees must not be there at all.
     */
    @Test
    void loadingEvaluatingAndClosingAgainAndAgainLeavesNoDirectOrMappedBuffersBehind(@TempDir Path dir) {
        ModelSpec spec = InferenceBackendContract.tiny(Family.LLAMA);
        SyntheticModels.write(dir, spec);
        List<int[]> windows = List.of(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, new int[] {8, 7, 6, 5, 4, 3, 2, 1});
        for (int i = 0; i < 3; i++) { // warm-up: the staging pool fills
            try (CausalLanguageModel model = backend.load(dir)) {
                model.windowLosses(windows);
            }
        }
        long before = bufferPoolBytes();
        long modelBytes = spec.parameterCount() * Float.BYTES;
        for (int i = 0; i < 20; i++) {
            try (CausalLanguageModel model = backend.load(dir)) {
                model.windowLosses(windows);
            }
        }
        assertThat(bufferPoolBytes() - before)
                .as("direct + mapped bytes left by 20 loads of a %d-byte model", modelBytes)
                .isLessThan(modelBytes);
    }

    private static long bufferPoolBytes() {
        return java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)
                .stream()
                .filter(pool ->
                        pool.getName().equals("direct") || pool.getName().equals("mapped"))
                .mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed)
                .sum();
    }

    @Test
    void nanWeightsAreRefusedNamingTheTensor(@TempDir Path dir) throws IOException {
        ModelSpec spec = InferenceBackendContract.tiny(Family.LLAMA);
        SyntheticModels.write(dir, spec);
        rewriteTensor(dir, "model.layers.1.mlp.up_proj.weight", Float.NaN);
        assertThatThrownBy(() -> backend.load(dir)).isInstanceOfSatisfying(Pretrain4jException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(InferenceErrorCode.MODEL_INVALID);
            assertThat(e).hasMessageContaining("'model.layers.1.mlp.up_proj.weight' holds NaN or infinite values");
        });
    }

    @Test
    void hostileFilesAreRefusedThroughTheBackend(@TempDir Path dir) throws IOException {
        ModelSpec spec = InferenceBackendContract.tiny(Family.GPT2);
        SyntheticModels.write(dir, spec);
        Path weights = dir.resolve(SafetensorsModel.SINGLE_FILE);
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> backend.load(dir))
                .isInstanceOfSatisfying(
                        Pretrain4jException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(DomainErrorCode.INVALID_SAFETENSORS));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"gpt2\", \"n_embd\": -5}");
        assertThatThrownBy(() -> backend.load(dir))
                .hasMessageContaining("\"n_embd\" must be an integer in 1..65536, not -5");
        Files.writeString(dir.resolve("config.json"), "{not json");
        assertThatThrownBy(() -> backend.load(dir))
                .hasMessageContaining("config.json: is not JSON that Python's json module reads");
    }

    @Test
    void divergentModelsGiveNonFiniteLossesThatScoreInfinity(@TempDir Path dir) {
        // finite weights so large that activations overflow: the loss is NaN or inf, never an exception
        SyntheticModels.write(dir, InferenceBackendContract.tiny(Family.GPT2).withStd(1e19));
        try (CausalLanguageModel model = backend.load(dir)) {
            double[] losses = model.windowLosses(InferenceBackendContract.windows(2, 16, 512, 1));
            assertThat(losses).hasSize(2);
            assertThat(Double.isFinite(losses[0]) && Double.isFinite(losses[1])).isFalse();
            assertThat(TextLoss.taskValue(losses)).isEqualTo(Double.POSITIVE_INFINITY);
        }
    }

    @Test
    void evaluationLeavesNoArraysBehind(@TempDir Path dir) {
        SyntheticModels.write(dir, InferenceBackendContract.tiny(Family.LLAMA));
        try (CausalLanguageModel model = backend.load(dir)) {
            DjlCausalLanguageModel djl = (DjlCausalLanguageModel) model;
            List<int[]> windows = InferenceBackendContract.windows(3, 48, 512, 2);
            model.windowLosses(windows);
            model.generateGreedy(windows.get(0), 3, -1);
            int resident = djl.residentArrays();
            for (int i = 0; i < 5; i++) {
                model.windowLosses(windows);
                model.generateGreedy(windows.get(1), 3, -1);
            }
            assertThat(djl.residentArrays()).isEqualTo(resident);
        }
    }

    @Test
    void sanityCheckRunsOnGeneratedTokens(@TempDir Path dir) {
        SyntheticModels.write(dir, InferenceBackendContract.tiny(Family.LLAMA).withStd(0));
        try (CausalLanguageModel model = backend.load(dir)) {
            // all-zero weights: every logit ties, greedy picks token 0 every time: degenerate
            int[] first = model.generateGreedy(new int[] {5, 6, 7}, OutputSanity.NEW_TOKENS, model.eosTokenId());
            int[] second = model.generateGreedy(new int[] {9, 8}, OutputSanity.NEW_TOKENS, model.eosTokenId());
            assertThat(first).containsOnly(0);
            assertThat(OutputSanity.isReasonable(first, second)).isFalse();
            assertThat(model.eosTokenId()).isEqualTo(511);
            assertThat(model.generateGreedy(new int[] {1}, 2, 0)).containsOnly(1);
        }
    }

    @Test
    void configurationErrorsAreListedTogether() {
        assertThatThrownBy(
                        () -> new DjlBackendFactory().create(Map.of("devise", "cpu", "dtype", "bf16", "threads", "x")))
                .isInstanceOfSatisfying(Pretrain4jException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(PortErrorCode.INVALID_CONFIG);
                    assertThat(e)
                            .hasMessageContaining("unknown key 'devise' (did you mean 'device'?)")
                            .hasMessageContaining("dtype bf16 is for GPUs only")
                            .hasMessageContaining("threads 'x' is not an integer");
                });
    }

    @Test
    void aMissingGpuIsReportedClearly() {
        assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a GPU");
        assertThatThrownBy(() -> new DjlBackendFactory().create(Map.of("device", "gpu:1")))
                .isInstanceOfSatisfying(Pretrain4jException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(InferenceErrorCode.DEVICE_UNAVAILABLE);
                    assertThat(e).hasMessageContaining("device gpu:1 is not available");
                });
    }

    /** Rewrites one tensor of a single-file model with every value set to {@code value}. */
    static void rewriteTensor(Path dir, String name, float value) {
        Path file = dir.resolve(SafetensorsModel.SINGLE_FILE);
        List<SafetensorsWriter.Tensor> tensors = new java.util.ArrayList<>();
        try (io.pretrain4j.formats.safetensors.SafetensorsFile opened =
                io.pretrain4j.formats.safetensors.SafetensorsFile.open(file)) {
            for (var entry : opened.header().tensors().values()) {
                float[] values = opened.readFloats(entry);
                if (entry.name().equals(name)) {
                    java.util.Arrays.fill(values, value);
                }
                tensors.add(new SafetensorsWriter.Tensor(entry.name(), entry.dtype(), entry.shape(), values));
            }
        }
        SafetensorsWriter.write(file, tensors, Map.of());
    }
}
