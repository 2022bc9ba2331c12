package io.pretrain4j.adapters.chain;

import io.pretrain4j.adapters.chain.keys.BittensorWalletsFactory;
import io.pretrain4j.adapters.chain.local.LocalChainFactory;
import io.pretrain4j.adapters.chain.subtensor.SubtensorChainFactory;
import io.pretrain4j.ports.chain.ChainFactory;
import io.pretrain4j.ports.chain.WalletsFactory;
import io.pretrain4j.ports.spi.Plugin;
import java.util.List;

/** Contributes the {@code local} chain and {@code bittensor} wallets. */
public final class ChainPlugin implements Plugin {
    @Override
    public String name() {
        return "chain";
    }

    @Override
    public List<ChainFactory> chainFactories() {
        return List.of(new LocalChainFactory(), new SubtensorChainFactory());
    }

    @Override
    public List<WalletsFactory> walletsFactories() {
        return List.of(new BittensorWalletsFactory());
    }
}
