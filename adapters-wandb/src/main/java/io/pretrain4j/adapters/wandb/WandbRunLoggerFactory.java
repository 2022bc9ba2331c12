package io.pretrain4j.adapters.wandb;

import io.pretrain4j.ports.runlog.RunLogger;
import io.pretrain4j.ports.runlog.RunLoggerFactory;
import io.pretrain4j.toolkit.config.FactoryConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code wandb}: validator steps as W&amp;B run history ({@link WandbRunLogger}). Keys: those of
 * {@link WandbSettings} ({@code attempts} applies per request; the logger itself retries without
 * end), {@code entity} (default {@code macrocosmos}) and {@code project} (default
 * {@code pretraining-validators}), the reference's; {@code steps-per-run} (100),
 * {@code max-buffer-bytes} (268435456), {@code flush-timeout} (10s spent at shut-down delivering
 * what is buffered).
 */
public final class WandbRunLoggerFactory implements RunLoggerFactory {
    /** The factory's name. */
    public static final String NAME = "wandb";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RunLogger create(Map<String, String> config) {
        Set<String> known = new HashSet<>(WandbSettings.KEYS);
        known.addAll(Set.of("entity", "project", "steps-per-run", "max-buffer-bytes", "flush-timeout"));
        FactoryConfig settings = new FactoryConfig(NAME, config, known);
        WandbHttp.Settings http = WandbSettings.read(settings);
        String entity = settings.string("entity", "macrocosmos");
        String project = settings.string("project", "pretraining-validators");
        WandbSettings.checkName(settings, "entity", entity);
        WandbSettings.checkName(settings, "project", project);
        WandbRunLogger.Settings logger = new WandbRunLogger.Settings(
                entity,
                project,
                (int) settings.integer("steps-per-run", 100, 1, 1_000_000),
                settings.integer("max-buffer-bytes", 256L << 20, 1 << 16, Long.MAX_VALUE),
                settings.duration("flush-timeout", Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(10)),
                http.retryDelay().isZero() ? Duration.ofMillis(100) : http.retryDelay(),
                http.maxRetryDelay().isZero() ? Duration.ofSeconds(1) : http.maxRetryDelay());
        settings.done();
        return new WandbRunLogger(new WandbApi(new WandbHttp(http.withAttempts(1)), 500), logger, Clock.systemUTC());
    }
}
