package io.pretrain4j.adapters.wandb;

import io.pretrain4j.toolkit.config.FactoryConfig;
import io.pretrain4j.toolkit.http.HttpConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The {@code wandb} run logger's settings: the connection ({@link WandbConnection}; {@code attempts}
 * applies per request, the logger itself retries without end), {@code entity} and {@code project} (the
 * reference's), {@code steps-per-run}, {@code max-buffer-bytes} (the on-disk buffer) and
 * {@code flush-timeout} (spent at shut-down delivering what is buffered). The defaults are
 * {@link #DEFAULTS}.
 *
 * @param http the connection
 * @param entity the W&amp;B entity
 * @param project the W&amp;B project
 * @param stepsPerRun steps logged to one run before the next is started
 * @param maxBufferBytes the buffer's bound on disk
 * @param flushTimeout time spent at shut-down delivering the buffer
 */
public record WandbRunLogConfig(
        HttpConfig http, String entity, String project, int stepsPerRun, long maxBufferBytes, Duration flushTimeout) {
    /** Every default, as written in configuration. */
    public static final Map<String, String> DEFAULTS = FactoryConfig.defaults(
            WandbConnection.DEFAULTS,
            "entity",
            "macrocosmos",
            "project",
            "pretraining-validators",
            "steps-per-run",
            "100",
            "max-buffer-bytes",
            "268435456",
            "flush-timeout",
            "10s");

    private static final Set<String> KEYS =
            Set.copyOf(WandbConnection.keys("entity", "project", "steps-per-run", "max-buffer-bytes", "flush-timeout"));

    /** Reads and checks {@code values}, listing every problem at once. */
    public static WandbRunLogConfig from(Map<String, String> values) {
        FactoryConfig config = new FactoryConfig(WandbRunLoggerFactory.NAME, values, DEFAULTS, KEYS);
        HttpConfig http = WandbConnection.read(config);
        String entity = config.string("entity");
        String project = config.string("project");
        WandbConnection.checkName(config, "entity", entity);
        WandbConnection.checkName(config, "project", project);
        WandbRunLogConfig read = new WandbRunLogConfig(
                http,
                entity,
                project,
                (int) config.integer("steps-per-run", 1, 1_000_000),
                config.integer("max-buffer-bytes", 1 << 16, Long.MAX_VALUE),
                config.duration("flush-timeout", Duration.ZERO, Duration.ofMinutes(10)));
        config.done();
        return read;
    }
}
