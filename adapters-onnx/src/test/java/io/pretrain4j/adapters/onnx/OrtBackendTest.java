package io.pretrain4j.adapters.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pretrain4j.adapters.onnx.graph.TransformerGraph;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.domain.model.ModelSpec.Family;
import io.pretrain4j.formats.config.ModelConfigReader;
import io.pretrain4j.formats.safetensors.SafetensorsModel;
import io.pretrain4j.formats.safetensors.SyntheticModels;
import io.pretrain4j.plugins.testkit.inference.InferenceBackendContract;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.InferenceBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtBackendTest {
    private static final Map<String, String> NO_TELEMETRY = Map.of("ort-disable-telemetry", "1");

    /** {@code keys} with telemetry off, as the launcher passes $ORT_DISABLE_TELEMETRY=1. */
    private static Map<String, String> with(String... keys) {
        Map<String, String> map = new java.util.HashMap<>(NO_TELEMETRY);
        for (int i = 0; i < keys.length; i += 2) {
            map.put(keys[i], keys[i + 1]);
        }
        return map;
    }

    @Test
    void refusesToStartWithTelemetryOnUnlessAllowed() {
        assertThatThrownBy(() -> new OrtBackendFactory().create(Map.of()))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("ORT_DISABLE_TELEMETRY=1 is not set")
                .satisfies(
                        e -> assertThat(((Pretrain4jException) e).errorCode()).isEqualTo(PortErrorCode.INVALID_CONFIG));
        try (InferenceBackend allowed = new OrtBackendFactory().create(Map.of("allow-telemetry", "true"))) {
            assertThat(allowed.description()).startsWith("onnx-runtime");
        }
        assertThatThrownBy(() -> new OrtBackendFactory().create(with("device", "tpu", "dtype", "bf16")))
                .hasMessageContaining("device 'tpu' must be cpu, gpu or gpu:N")
                .hasMessageContaining("computes in fp32");
    }

    @Test
    void aMissingGpuFallsBackToTheCpu(@TempDir Path dir) {
        ModelSpec spec = InferenceBackendContract.tiny(Family.GPT2);
        SyntheticModels.write(dir, spec);
        try (InferenceBackend gpu = new OrtBackendFactory().create(with("device", "gpu"));
                CausalLanguageModel model = gpu.load(dir)) {
            assertThat(model.windowLosses(InferenceBackendContract.windows(1, 16, spec.vocab(), 1))[0])
                    .isFinite();
        }
    }

    @Test
    void theWorkDirectoryIsEmptiedAfterLoading(@TempDir Path dir) throws IOException {
        SyntheticModels.write(dir.resolve("m"), InferenceBackendContract.tiny(Family.LLAMA));
        Path work = Files.createDirectories(dir.resolve("work"));
        try (InferenceBackend backend = new OrtBackendFactory().create(with("work-dir", work.toString()));
                CausalLanguageModel model = backend.load(dir.resolve("m"))) {
            try (Stream<Path> left = Files.list(work)) {
                assertThat(left).isEmpty();
            }
            assertThat(model.windowLosses(InferenceBackendContract.windows(1, 8, 512, 2))[0])
                    .isFinite();
        }
    }

    @Test
    void aReposExportedModelRunsWhenAllowedAndGivesTheSameLosses(@TempDir Path dir) throws IOException {
        ModelSpec spec = InferenceBackendContract.tiny(Family.LLAMA);
        Path model = SyntheticModels.write(dir.resolve("m"), spec);
        List<int[]> windows = InferenceBackendContract.windows(3, 24, spec.vocab(), 8);
        double[] built;
        try (InferenceBackend backend = new OrtBackendFactory().create(NO_TELEMETRY);
                CausalLanguageModel lm = backend.load(model)) {
            built = lm.windowLosses(windows);
        }
        // an "exported" model.onnx with a logits output beside the safetensors
        try (SafetensorsModel files = SafetensorsModel.open(model)) {
            TransformerGraph.build(ModelConfigReader.read(model), files, model, true);
        }
        try (InferenceBackend backend = new OrtBackendFactory().create(with("use-repo-onnx", "true"));
                CausalLanguageModel lm = backend.load(model)) {
            double[] exported = lm.windowLosses(windows);
            for (int i = 0; i < windows.size(); i++) {
                assertThat(exported[i]).isCloseTo(built[i], within(Math.abs(built[i]) * 1e-5));
            }
            assertThat(lm.generateGreedy(windows.get(0), 3, -1)).hasSize(3);
        }
        try (InferenceBackend backend = new OrtBackendFactory().create(NO_TELEMETRY);
                CausalLanguageModel lm = backend.load(model)) {
            assertThat(lm.windowLosses(windows))
                    .as("without the option the repo's file is ignored")
                    .containsExactly(built);
        }
    }
}
