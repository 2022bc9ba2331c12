package io.pretrain4j.adapters.djl;

import io.pretrain4j.plugins.testkit.inference.InferenceBackendContract;
import io.pretrain4j.ports.inference.InferenceBackend;
import java.util.Map;

class DjlContractTest extends InferenceBackendContract {
    @Override
    protected InferenceBackend createBackend() {
        return new DjlBackendFactory().create(Map.of("threads", "2", "batch-tokens", "100"));
    }
}
