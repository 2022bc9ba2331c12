/**
 * Inference backend {@code djl-pytorch}: loads GPT-2 and Llama-family (Llama, Mistral, Qwen2)
 * models from safetensors with pretrain4j's own reader and runs them with NDArray operations on
 * DJL's PyTorch engine, on CPU or GPU.
 */
module io.pretrain4j.adapters.djl {
    requires io.pretrain4j.evaluation;
    requires io.pretrain4j.toolkit;
    requires io.pretrain4j.ports;
    requires com.fasterxml.jackson.databind;
    requires ai.djl.api;
    requires ai.djl.pytorch_engine;
    requires com.sun.jna;

    provides io.pretrain4j.ports.spi.Plugin with
            io.pretrain4j.adapters.djl.DjlPlugin;
}
