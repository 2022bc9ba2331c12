package io.pretrain4j.launcher.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The {@code pretrain4j.chain} and {@code pretrain4j.wallets} sections.
 *
 * @param backend the chain factory ({@code local})
 * @param backendConfig its keys
 * @param wallets the wallets factory ({@code bittensor})
 * @param walletsConfig its keys ({@code path})
 */
public record ChainConfig(
        String backend, Map<String, String> backendConfig, String wallets, Map<String, String> walletsConfig) {
    /** What {@code application.conf} ships. */
    public static final ChainConfig SHIPPED = new ChainConfig(
            "local", Map.of(), "bittensor", Map.of("path", System.getProperty("user.home") + "/.bittensor/wallets"));

    public ChainConfig {
        requireNonNull(backend, "backend is null");
        requireNonNull(wallets, "wallets is null");
        backendConfig = Map.copyOf(backendConfig);
        walletsConfig = Map.copyOf(walletsConfig);
    }
}
