package io.pretrain4j.launcher.config;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code pretrain4j.data} section: named datasets and the window cache.
 *
 * @param datasets dataset name (e.g. {@code local}, {@code FINEWEB}) to its factory and keys
 * @param cacheDir where tokenized windows are kept across restarts; empty for memory only
 * @param cacheMemoryTokens tokens of windows kept in memory
 */
public record DataConfig(Map<String, Dataset> datasets, Optional<String> cacheDir, long cacheMemoryTokens) {
    /**
     * One configured dataset.
     *
     * @param factory the dataset factory's name ({@code local}, {@code hf-rows}, or a plugin's)
     * @param config the keys passed to it
     */
    public record Dataset(String factory, Map<String, String> config) {
        public Dataset {
            requireNonNull(factory, "factory is null");
            config = Map.copyOf(config);
        }
    }

    /** What {@code application.conf} ships. */
    public static final DataConfig SHIPPED = shipped();

    public DataConfig {
        datasets = Map.copyOf(datasets);
        requireNonNull(cacheDir, "cacheDir is null");
    }

    private static DataConfig shipped() {
        Map<String, Dataset> datasets = new LinkedHashMap<>();
        datasets.put("local", new Dataset("local", Map.of()));
        for (String preset :
                new String[] {"FALCON", "FINEWEB", "FINEWEB2", "PES2OX", "FINEMATH3P", "WEBMATH3P", "STACK1"}) {
            datasets.put(preset, new Dataset("hf-rows", Map.of("preset", preset)));
        }
        return new DataConfig(datasets, Optional.empty(), 16_000_000);
    }
}
