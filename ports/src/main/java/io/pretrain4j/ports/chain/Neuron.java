package io.pretrain4j.ports.chain;

import static java.util.Objects.requireNonNull;

/**
 * One registered neuron of the subnet, as the metagraph lists it.
 *
 * @param uid its uid
 * @param hotkey its hotkey (SS58)
 * @param coldkey its coldkey (SS58), or empty when unknown
 * @param stakeRao stake in rao (10^-9 TAO)
 * @param validatorPermit whether it may set weights
 * @param lastUpdate the block of its last set_weights (0 if never)
 */
public record Neuron(int uid, String hotkey, String coldkey, long stakeRao, boolean validatorPermit, long lastUpdate) {
    public Neuron {
        requireNonNull(hotkey, "hotkey is null");
        requireNonNull(coldkey, "coldkey is null");
    }

    /** Stake in TAO. */
    public double stakeTao() {
        return stakeRao / 1e9;
    }
}
