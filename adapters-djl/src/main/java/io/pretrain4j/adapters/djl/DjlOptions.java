package io.pretrain4j.adapters.djl;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.Suggestions;
import io.pretrain4j.ports.PortErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Configuration of the {@code djl-pytorch} backend.
 *
 * @param device {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param dtype {@code fp32}, {@code fp16} or {@code bf16} (half precisions on GPU only)
 * @param threads intra-op threads, 0 for PyTorch's default
 * @param batchTokens windows of equal length are batched up to this many tokens per forward pass;
 *     0 picks per device: 1024 on the CPU (one GPT-2 window at a time, measured fastest: larger
 *     batches spill attention blocks out of cache), 16384 on a GPU
 */
public record DjlOptions(String device, String dtype, int threads, int batchTokens) {
    /** Configuration keys. */
    public static final List<String> KEYS = List.of("device", "dtype", "threads", "batch-tokens");

    /** CPU, fp32, default threads, batch size per device. */
    public static DjlOptions defaults() {
        return new DjlOptions("cpu", "fp32", 0, 0);
    }

    /** The batch token budget, resolving 0 for the device. */
    public int effectiveBatchTokens() {
        return batchTokens > 0 ? batchTokens : device.equals("cpu") ? 1024 : 16384;
    }

    /** Parses a configuration map, reporting every problem at once. */
    public static DjlOptions parse(Map<String, String> config) {
        List<String> problems = new ArrayList<>();
        for (String key : config.keySet()) {
            if (!KEYS.contains(key)) {
                problems.add("unknown key '" + key + "'" + Suggestions.closest(key, KEYS, 3).map(k -> " (did you mean '" + k + "'?)").orElse(""));
            }
        }
        DjlOptions defaults = defaults();
        String device = config.getOrDefault("device", defaults.device()).trim().toLowerCase(Locale.ROOT);
        if (!device.matches("cpu|gpu|gpu:\\d{1,3}")) {
            problems.add("device '" + device + "' must be cpu, gpu or gpu:N");
        }
        String dtype = config.getOrDefault("dtype", defaults.dtype()).trim().toLowerCase(Locale.ROOT);
        if (!List.of("fp32", "fp16", "bf16").contains(dtype)) {
            problems.add("dtype '" + dtype + "' must be fp32, fp16 or bf16");
        } else if (!dtype.equals("fp32") && device.equals("cpu")) {
            problems.add("dtype " + dtype + " is for GPUs only; use fp32 on the CPU");
        }
        int threads = integer(config, "threads", defaults.threads(), 0, 1024, problems);
        int batchTokens = integer(config, "batch-tokens", defaults.batchTokens(), 0, 1 << 24, problems);
        if (!problems.isEmpty()) {
            throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, "djl-pytorch: " + String.join("; ", problems));
        }
        return new DjlOptions(device, dtype, threads, batchTokens);
    }

    private static int integer(Map<String, String> config, String key, int fallback, int min, int max, List<String> problems) {
        String text = config.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value < min || value > max) {
                problems.add(key + " " + value + " must be in " + min + ".." + max);
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(key + " '" + text + "' is not an integer");
            return fallback;
        }
    }
}
