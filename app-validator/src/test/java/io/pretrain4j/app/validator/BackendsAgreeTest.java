package io.pretrain4j.app.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.domain.model.ModelSpec.Family;
import io.pretrain4j.domain.model.SafetensorsDType;
import io.pretrain4j.formats.safetensors.SyntheticModels;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.plugins.host.PluginRegistry;
import io.pretrain4j.plugins.testkit.inference.InferenceBackendContract;
import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.InferenceBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test: the two shipped engines, found by name as the validator finds them, give the
 * same per-window losses (within 1e-4 relative) for tiny random GPT-2 and Llama models with F32 and
 * BF16 weights.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendsAgreeTest {
    private InferenceBackend djl;
    private InferenceBackend onnx;

    @BeforeAll
    void open() {
        PluginRegistry registry = Bootstrap.injector(Optional.empty()).getInstance(PluginRegistry.class);
        djl = registry.factory(FactoryKind.INFERENCE_BACKEND, "djl-pytorch").create(Map.of("threads", "1"));
        onnx = registry.factory(FactoryKind.INFERENCE_BACKEND, "onnx-runtime")
                .create(Map.of("threads", "1", "ort-disable-telemetry", "1"));
    }

    @AfterAll
    void close() {
        djl.close();
        onnx.close();
    }

    static Stream<ModelSpec> models() {
        return Stream.of(Family.GPT2, Family.LLAMA)
                .flatMap(family -> Stream.of(SafetensorsDType.F32, SafetensorsDType.BF16)
                        .map(dtype -> InferenceBackendContract.tiny(family).withDtype(dtype)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void onnxRuntimeAndDjlAgree(ModelSpec spec, @TempDir Path dir) {
        SyntheticModels.write(dir, spec);
        List<int[]> windows = InferenceBackendContract.windows(4, 64, spec.vocab(), 13);
        double[] a;
        double[] b;
        try (CausalLanguageModel first = djl.load(dir);
                CausalLanguageModel second = onnx.load(dir)) {
            a = first.windowLosses(windows);
            b = second.windowLosses(windows);
            assertThat(second.parameterCount()).isEqualTo(first.parameterCount());
        }
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).as("window %d", i).isCloseTo(a[i], within(Math.abs(a[i]) * 1e-4));
        }
    }
}
