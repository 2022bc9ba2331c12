package io.pretrain4j.adapters.wandb;

import io.pretrain4j.ports.runlog.RunLogger;
import io.pretrain4j.ports.runlog.RunLoggerFactory;
import java.time.Clock;
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
        WandbApi api = new WandbApi(new WandbHttp(settings.http().withAttempts(1)), 500);
        return new WandbRunLogger(api, settings, Clock.systemUTC());
    }

    @Override
    public Map<String, String> defaults() {
        return WandbRunLogConfig.DEFAULTS;
    }
}
