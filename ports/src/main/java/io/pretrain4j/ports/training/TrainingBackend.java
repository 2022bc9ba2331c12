package io.pretrain4j.ports.training;

import io.pretrain4j.domain.model.ModelSpec;
import java.nio.file.Path;

/**
 * Trains causal language models: creates one from a shape or loads one from a Hugging Face
 * directory, then takes optimizer steps on token windows. Implementations: {@code djl-pytorch}.
 */
public interface TrainingBackend extends AutoCloseable {
    /** Engine, device and precision, for logs. */
    String description();

    /** A new model of this shape with the spec's seeded initialisation (std for matrices, ones for norms, zeros for biases). */
    TrainableModel create(ModelSpec spec);

    /** A model loaded from {@code config.json} + safetensors (any stored precision; trained in fp32). */
    TrainableModel load(Path modelDirectory);

    @Override
    void close();
}
