package io.pretrain4j.adapters.chain.keys;

import io.pretrain4j.ports.chain.Wallets;
import io.pretrain4j.ports.chain.WalletsFactory;
import io.pretrain4j.toolkit.config.FactoryConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** {@code bittensor}: key {@code path}, required (the launchers pass {@code $BT_WALLET_PATH} or {@code ~/.bittensor/wallets}). */
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
        String path = settings.string("path", "");
        if (path.isBlank()) {
            settings.problem(
                    "path is required: the directory of bittensor wallets (the launchers pass $BT_WALLET_PATH or ~/.bittensor/wallets)");
        }
        settings.done();
        return new BittensorWallets(Path.of(path));
    }
}
