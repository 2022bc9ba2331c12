package io.pretrain4j.launcher.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The {@code pretrain4j.store} section: where models are kept on this machine and where they are
 * fetched from.
 *
 * @param local the local model store's factory ({@code disk})
 * @param localConfig its keys ({@code root})
 * @param remote the remote model store's factory ({@code local-hub}, {@code hf})
 * @param remoteConfig its keys
 */
public record StoreConfig(
        String local, Map<String, String> localConfig, String remote, Map<String, String> remoteConfig) {
    /** What {@code application.conf} ships. */
    public static final StoreConfig SHIPPED = new StoreConfig("disk", Map.of(), "local-hub", Map.of());

    public StoreConfig {
        requireNonNull(local, "local is null");
        requireNonNull(remote, "remote is null");
        localConfig = Map.copyOf(localConfig);
        remoteConfig = Map.copyOf(remoteConfig);
    }
}
