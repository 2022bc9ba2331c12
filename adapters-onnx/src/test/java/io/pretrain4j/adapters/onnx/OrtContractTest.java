package io.pretrain4j.adapters.onnx;

import io.pretrain4j.plugins.testkit.inference.InferenceBackendContract;
import io.pretrain4j.ports.inference.InferenceBackend;
import java.util.Map;

/** The testkit's inference contract (a naive double-precision reference within 1e-4) for onnx-runtime. */
class OrtContractTest extends InferenceBackendContract {
    @Override
    protected InferenceBackend createBackend() {
        return new OrtBackendFactory().create(Map.of("threads", "1", "ort-disable-telemetry", "1"));
    }
}
