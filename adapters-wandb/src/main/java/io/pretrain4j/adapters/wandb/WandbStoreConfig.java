package io.pretrain4j.adapters.wandb;

import io.pretrain4j.toolkit.config.FactoryConfig;
import io.pretrain4j.toolkit.http.HttpConfig;
import java.util.Map;
import java.util.Set;

/**
 * The {@code wandb} store's settings: the connection ({@link WandbConnection}), {@code project} (the
 * reference's), {@code version} (the run's version tag) and {@code max-runs} (runs read per listing). The
 * defaults are {@link #DEFAULTS}.
 *
 * @param http the connection
 * @param project the W&amp;B project the miners' runs are in
 * @param version the version tag of runs this store writes
 * @param maxRuns runs read per listing
 */
public record WandbStoreConfig(HttpConfig http, String project, String version, int maxRuns) {
    /** Every default, as written in configuration. */
    public static final Map<String, String> DEFAULTS = FactoryConfig.defaults(
            WandbConnection.DEFAULTS, "project", "pretraining-subnet", "version", "pretrain4j", "max-runs", "500");

    private static final Set<String> KEYS = Set.copyOf(WandbConnection.keys("project", "version", "max-runs"));

    /** Reads and checks {@code values}, listing every problem at once. */
    public static WandbStoreConfig from(Map<String, String> values) {
        FactoryConfig config = new FactoryConfig(WandbModelStoreFactory.NAME, values, DEFAULTS, KEYS);
        HttpConfig http = WandbConnection.read(config);
        String project = config.string("project");
        WandbConnection.checkName(config, "project", project);
        WandbStoreConfig read = new WandbStoreConfig(
                http, project, config.string("version"), (int) config.integer("max-runs", 1, 100_000));
        config.done();
        return read;
    }
}
