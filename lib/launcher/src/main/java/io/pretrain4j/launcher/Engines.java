package io.pretrain4j.launcher;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.launcher.config.LauncherConfig;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.inference.InferenceBackendFactory;
import io.pretrain4j.ports.training.TrainingBackend;
import io.pretrain4j.ports.training.TrainingBackendFactory;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/** The inference and training backends chosen by configuration ({@code pretrain4j.inference}) or by name. */
public final class Engines {
    private final LauncherConfig config;
    private final Map<String, InferenceBackendFactory> inference;
    private final Map<String, TrainingBackendFactory> training;

    @Inject
    public Engines(
            LauncherConfig config,
            Map<String, InferenceBackendFactory> inference,
            Map<String, TrainingBackendFactory> training) {
        this.config = requireNonNull(config, "config is null");
        this.inference = Map.copyOf(inference);
        this.training = Map.copyOf(training);
    }

    /** The configured inference backend ({@code inference.backend} with {@code inference.backend-config}); the caller closes it. */
    public InferenceBackend inference() {
        return inference(config.inferenceBackend(), config.inferenceConfig());
    }

    /** The inference backend {@code name} with {@code keys}; the caller closes it. */
    public InferenceBackend inference(String name, Map<String, String> keys) {
        return FactoriesModule.choose(FactoryKind.INFERENCE_BACKEND, inference, name)
                .create(keys);
    }

    /** The training backend {@code name}, with the inference section's keys but the batching budget (training has its own). */
    public TrainingBackend training(String name) {
        Map<String, String> keys = new LinkedHashMap<>(config.inferenceConfig());
        keys.remove("batch-tokens");
        return FactoriesModule.choose(FactoryKind.TRAINING_BACKEND, training, name)
                .create(keys);
    }
}
