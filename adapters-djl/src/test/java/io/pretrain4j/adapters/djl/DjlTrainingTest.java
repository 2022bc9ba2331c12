package io.pretrain4j.adapters.djl;

import io.pretrain4j.plugins.testkit.training.TrainingBackendContract;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.training.TrainingBackend;
import java.util.Map;

/** The training contract for djl-pytorch, checked against the djl-pytorch inference backend. */
class DjlTrainingTest extends TrainingBackendContract {
    @Override
    protected TrainingBackend createTrainingBackend() {
        return new DjlTrainingBackendFactory().create(Map.of());
    }

    @Override
    protected InferenceBackend createInferenceBackend() {
        return new DjlBackendFactory().create(Map.of());
    }
}
