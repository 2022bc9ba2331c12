package io.pretrain4j.adapters.wandb;

import io.pretrain4j.ports.runlog.RunLogger;
import io.pretrain4j.ports.runlog.RunLoggerFactory;
import io.pretrain4j.toolkit.http.HttpConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** {@code wandb}: validator steps as W&amp;B run history ({@link WandbRunLogger}). Its keys and defaults: {@link WandbRunLogConfig}. */
public final class WandbRunLoggerFactory implements RunLoggerFactory {
    /** The factory's name. */
    public static final String NAME = "wandb";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RunLogger create(Map<String, String> config) {
        WandbRunLogConfig settings = WandbRunLogConfig.from(config);
        HttpConfig http = settings.http();
        WandbRunLogger.Settings logger = new WandbRunLogger.Settings(
                settings.entity(),
                settings.project(),
                settings.stepsPerRun(),
                settings.maxBufferBytes(),
                settings.flushTimeout(),
                http.retryDelay().isZero() ? Duration.ofMillis(100) : http.retryDelay(),
                http.maxRetryDelay().isZero() ? Duration.ofSeconds(1) : http.maxRetryDelay());
        return new WandbRunLogger(new WandbApi(new WandbHttp(http.withAttempts(1)), 500), logger, Clock.systemUTC());
    }

    @Override
    public Map<String, String> defaults() {
        return WandbRunLogConfig.DEFAULTS;
    }
}
