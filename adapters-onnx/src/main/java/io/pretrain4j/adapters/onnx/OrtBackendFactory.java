package io.pretrain4j.adapters.onnx;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.evaluation.InferenceConfig;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.inference.InferenceBackendFactory;
import io.pretrain4j.toolkit.config.FactoryConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code onnx-runtime}. Keys: {@code device} ({@code cpu}, or {@code gpu}/{@code gpu:N} for the
 * CUDA execution provider, falling back to the CPU with a log line when CUDA is missing),
 * {@code threads} (intra-op, 0 = ONNX Runtime's default), {@code batch-tokens} (0 = 1024),
 * {@code allow-telemetry} (false: the backend refuses to start unless {@code ORT_DISABLE_TELEMETRY=1}),
 * {@code work-dir} (where a model's graph and F32 weights are written while its session is created;
 * default the JVM's temporary directory; needs about 4 bytes per parameter, freed right after),
 * {@code use-repo-onnx} (false; true runs a repo's own exported {@code model.onnx} with a
 * {@code logits} output instead of building the graph).
 */
public final class OrtBackendFactory implements InferenceBackendFactory {
    /** The factory's name. */
    public static final String NAME = "onnx-runtime";
    /** Every default, as written in configuration. */
    public static final Map<String, String> DEFAULTS =
            InferenceConfig.defaults("fp32", "allow-telemetry", "false", "use-repo-onnx", "false");

    private static final Set<String> KEYS = Set.of(
            "device",
            "dtype",
            "threads",
            "batch-tokens",
            "allow-telemetry",
            "ort-disable-telemetry",
            "work-dir",
            "use-repo-onnx");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public InferenceBackend create(Map<String, String> config) {
        FactoryConfig settings = new FactoryConfig(NAME, config, DEFAULTS, KEYS);
        InferenceConfig common = InferenceConfig.read(settings, List.of("fp32"));
        String device = common.device();
        int threads = common.threads();
        int batchTokens = common.batchTokens();
        boolean allowTelemetry = settings.bool("allow-telemetry");
        Optional<Path> workDir =
                settings.optional("work-dir").filter(dir -> !dir.isBlank()).map(Path::of);
        // the launcher copies $ORT_DISABLE_TELEMETRY here: ONNX Runtime's native library reads that variable itself
        boolean telemetryOff =
                "1".equals(settings.string("ort-disable-telemetry", "").trim());
        boolean useRepoOnnx = settings.bool("use-repo-onnx");
        settings.done();
        if (!allowTelemetry && !telemetryOff) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG,
                    NAME + ": ORT_DISABLE_TELEMETRY=1 is not set; pretrain4j does not "
                            + "let ONNX Runtime report telemetry. Set it (bin/pretrain4j does), or allow-telemetry = true to accept it");
        }
        return new OrtBackend(device, threads, batchTokens > 0 ? batchTokens : 1024, workDir, useRepoOnnx);
    }

    @Override
    public Map<String, String> defaults() {
        return DEFAULTS;
    }
}
