package io.pretrain4j.ports.chain;

import io.pretrain4j.ports.NamedFactory;

/** Creates {@link Wallets} ({@code bittensor}); key {@code path} (default {@code ~/.bittensor/wallets}). */
public interface WalletsFactory extends NamedFactory<Wallets> {}
