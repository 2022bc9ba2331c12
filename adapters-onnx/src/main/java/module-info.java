/**
 * Inference backend {@code onnx-runtime}: builds the ONNX graph of a Hugging Face GPT-2 or
 * Llama-family model from its config.json, with the weights read from safetensors by pretrain4j's
 * own reader, and runs it on ONNX Runtime (CPU by default).
 */
module io.pretrain4j.adapters.onnx {
    requires io.pretrain4j.toolkit;
    requires io.pretrain4j.evaluation;
    requires io.pretrain4j.ports;
    requires com.microsoft.onnxruntime;
    requires com.google.protobuf;

    provides io.pretrain4j.ports.spi.Plugin with
            io.pretrain4j.adapters.onnx.OnnxPlugin;
}
