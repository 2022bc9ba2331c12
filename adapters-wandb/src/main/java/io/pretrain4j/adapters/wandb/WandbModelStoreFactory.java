package io.pretrain4j.adapters.wandb;

import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.RemoteModelStoreFactory;
import io.pretrain4j.toolkit.config.FactoryConfig;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code wandb}: models as files of signed W&amp;B runs ({@link WandbModelStore}). Keys: those of
 * {@link WandbSettings}, {@code project} (default {@code pretraining-subnet}, the reference's),
 * {@code version} (written to each run's {@code config.version}; default {@code pretrain4j}),
 * {@code max-runs} (runs or files listed per query at most, 500).
 */
public final class WandbModelStoreFactory implements RemoteModelStoreFactory {
    /** The factory's name. */
    public static final String NAME = "wandb";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RemoteModelStore create(Map<String, String> config) {
        Set<String> known = new HashSet<>(WandbSettings.KEYS);
        known.addAll(Set.of("project", "version", "max-runs"));
        FactoryConfig settings = new FactoryConfig(NAME, config, known);
        WandbHttp.Settings http = WandbSettings.read(settings);
        String project = settings.string("project", "pretraining-subnet");
        WandbSettings.checkName(settings, "project", project);
        String version = settings.string("version", "pretrain4j");
        int maxRuns = (int) settings.integer("max-runs", 500, 1, 100_000);
        settings.done();
        return new WandbModelStore(new WandbApi(new WandbHttp(http), maxRuns), project, version);
    }
}
