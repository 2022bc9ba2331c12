package io.pretrain4j.launcher.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The {@code pretrain4j.run-log} section: where the validator reports its steps besides
 * {@code steps.jsonl}.
 *
 * @param logger the run logger's factory ({@code wandb}, a plugin's), or {@code none}
 * @param config its keys
 */
public record RunLogConfig(String logger, Map<String, String> config) {
    /** No run logger: what {@code application.conf} ships. */
    public static final RunLogConfig NONE = new RunLogConfig("none", Map.of());

    public RunLogConfig {
        requireNonNull(logger, "logger is null");
        config = Map.copyOf(config);
    }

    /** Whether a logger is configured. */
    public boolean enabled() {
        return !logger.equals("none");
    }
}
