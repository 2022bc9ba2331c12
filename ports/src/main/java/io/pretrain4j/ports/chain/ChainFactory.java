package io.pretrain4j.ports.chain;

import io.pretrain4j.ports.NamedFactory;

/** Creates a {@link Chain} ({@code local}, later {@code subtensor}). */
public interface ChainFactory extends NamedFactory<Chain> {}
