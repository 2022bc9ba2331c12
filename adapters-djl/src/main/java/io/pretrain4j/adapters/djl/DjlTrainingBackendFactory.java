package io.pretrain4j.adapters.djl;

import io.pretrain4j.ports.training.TrainingBackend;
import io.pretrain4j.ports.training.TrainingBackendFactory;
import java.util.Map;

/** Creates {@code djl-pytorch} training backends (keys: device, threads; dtype must be fp32). */
public final class DjlTrainingBackendFactory implements TrainingBackendFactory {
    @Override
    public String name() {
        return DjlBackendFactory.NAME;
    }

    @Override
    public TrainingBackend create(Map<String, String> config) {
        return new DjlTrainingBackend(DjlConfig.from(config));
    }

    @Override
    public Map<String, String> defaults() {
        return DjlConfig.DEFAULTS;
    }
}
