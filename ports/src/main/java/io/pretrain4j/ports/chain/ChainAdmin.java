package io.pretrain4j.ports.chain;

/**
 * What a development chain (such as {@code local}) lets its operator do that the real chain does
 * through its own pallets: register hotkeys with stake, and advance blocks on demand.
 */
public interface ChainAdmin {
    /** Registers {@code hotkey} with {@code stakeRao}; returns its uid. Re-registering updates the stake. */
    int register(String hotkey, String coldkey, long stakeRao);

    /** Moves the chain {@code blocks} forward now; returns the new current block. */
    long advance(long blocks);
}
