package io.pretrain4j.adapters.chain.keys;

import io.pretrain4j.ports.FactoryConfig;
import io.pretrain4j.ports.chain.Wallets;
import io.pretrain4j.ports.chain.WalletsFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** {@code bittensor}: key {@code path} (default {@code $BT_WALLET_PATH} or {@code ~/.bittensor/wallets}). */
public final class BittensorWalletsFactory implements WalletsFactory {
    /** The factory's name. */
    public static final String NAME = "bittensor";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Wallets create(Map<String, String> config) {
        FactoryConfig settings = new FactoryConfig(NAME, config, Set.of("path"));
        String fallback = System.getenv().getOrDefault("BT_WALLET_PATH", System.getProperty("user.home") + "/.bittensor/wallets");
        String path = settings.string("path", fallback);
        settings.done();
        return new BittensorWallets(Path.of(path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path));
    }
}
