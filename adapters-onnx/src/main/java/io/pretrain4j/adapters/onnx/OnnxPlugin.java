package io.pretrain4j.adapters.onnx;

import io.pretrain4j.ports.inference.InferenceBackendFactory;
import io.pretrain4j.ports.spi.Plugin;
import java.util.List;

/** Contributes the {@code onnx-runtime} inference backend. */
public final class OnnxPlugin implements Plugin {
    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public List<InferenceBackendFactory> inferenceBackendFactories() {
        return List.of(new OrtBackendFactory());
    }
}
