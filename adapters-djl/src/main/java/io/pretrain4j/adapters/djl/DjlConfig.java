package io.pretrain4j.adapters.djl;

import io.pretrain4j.evaluation.InferenceConfig;
import io.pretrain4j.toolkit.config.FactoryConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Configuration of the {@code djl-pytorch} backend (and its training backend); the defaults are {@link #DEFAULTS}.
 *
 * @param device {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param dtype {@code fp32}, {@code fp16} or {@code bf16} (half precisions on GPU only)
 * @param threads intra-op threads, 0 for PyTorch's default
 * @param batchTokens windows of equal length are batched up to this many tokens per forward pass;
 *     0 picks per device: 1024 on the CPU (one GPT-2 window at a time, measured fastest: larger
 *     batches spill attention blocks out of cache), 16384 on a GPU
 */
public record DjlConfig(String device, String dtype, int threads, int batchTokens) {
    /** Configuration keys. */
    public static final List<String> KEYS = InferenceConfig.KEYS;
    /** Every default, as written in configuration. */
    public static final Map<String, String> DEFAULTS = InferenceConfig.defaults("fp32");

    /** The batch token budget, resolving 0 for the device. */
    public int effectiveBatchTokens() {
        return batchTokens > 0 ? batchTokens : device.equals("cpu") ? 1024 : 16384;
    }

    /** Reads a configuration map, every problem at once (the common inference keys are read by {@link InferenceConfig}). */
    public static DjlConfig from(Map<String, String> config) {
        FactoryConfig settings = new FactoryConfig("djl-pytorch", config, DEFAULTS, Set.copyOf(KEYS));
        InferenceConfig common = InferenceConfig.read(settings, List.of("fp32", "fp16", "bf16"));
        settings.done();
        return new DjlConfig(common.device(), common.dtype(), common.threads(), common.batchTokens());
    }
}
