package io.pretrain4j.evaluation;

import io.pretrain4j.toolkit.config.FactoryConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings every inference backend takes, read in one place: {@code device} ({@code cpu}, {@code gpu}
 * or {@code gpu:N}), {@code dtype} (one of the backend's; anything but fp32 on GPUs only),
 * {@code threads} (0..1024, 0 for the engine's default) and {@code batch-tokens} (0..2^24, 0 for the
 * backend's default). Problems go to the factory's {@link FactoryConfig}, listed with the rest.
 */
public record InferenceConfig(String device, String dtype, int threads, int batchTokens) {
    /** The keys read here. */
    public static final List<String> KEYS = List.of("device", "dtype", "threads", "batch-tokens");

    /** The defaults of {@link #KEYS} for a backend whose default dtype is {@code dtype}, followed by its own {@code more} pairs. */
    public static Map<String, String> defaults(String dtype, String... more) {
        return FactoryConfig.defaults(
                FactoryConfig.defaults("device", "cpu", "dtype", dtype, "threads", "0", "batch-tokens", "0"), more);
    }

    /** Reads the common keys from {@code settings} (their defaults from it, {@link #defaults}); {@code dtypes} are the backend's. */
    public static InferenceConfig read(FactoryConfig settings, List<String> dtypes) {
        String device = settings.string("device").trim().toLowerCase(Locale.ROOT);
        if (!device.matches("cpu|gpu|gpu:\\d{1,3}")) {
            settings.problem("device '" + device + "' must be cpu, gpu or gpu:N");
        }
        String dtype = settings.string("dtype").trim().toLowerCase(Locale.ROOT);
        if (!dtypes.contains(dtype)) {
            settings.problem(
                    dtypes.size() == 1
                            ? "dtype '" + dtype + "': the " + settings.owner() + " backend computes in " + dtypes.get(0)
                            : "dtype '" + dtype + "' must be " + String.join(", ", dtypes.subList(0, dtypes.size() - 1))
                                    + " or " + dtypes.get(dtypes.size() - 1));
        } else if (!dtype.equals("fp32") && device.equals("cpu")) {
            settings.problem("dtype " + dtype + " is for GPUs only; use fp32 on the CPU");
        }
        int threads = (int) settings.integer("threads", 0, 1024);
        int batchTokens = (int) settings.integer("batch-tokens", 0, 1 << 24);
        return new InferenceConfig(device, dtype, threads, batchTokens);
    }
}
