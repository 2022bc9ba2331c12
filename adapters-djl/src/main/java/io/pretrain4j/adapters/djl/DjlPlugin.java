package io.pretrain4j.adapters.djl;

import io.pretrain4j.ports.inference.InferenceBackendFactory;
import io.pretrain4j.ports.spi.Plugin;
import io.pretrain4j.ports.training.TrainingBackendFactory;
import java.util.List;

/** Contributes the {@code djl-pytorch} inference backend. */
public final class DjlPlugin implements Plugin {
    @Override
    public String name() {
        return "djl";
    }

    @Override
    public List<InferenceBackendFactory> inferenceBackendFactories() {
        return List.of(new DjlBackendFactory());
    }

    @Override
    public List<TrainingBackendFactory> trainingBackendFactories() {
        return List.of(new DjlTrainingBackendFactory());
    }
}
