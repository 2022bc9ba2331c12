package io.pretrain4j.ports.chain;

import static java.util.Objects.requireNonNull;

/**
 * A hotkey's commitment: the model id string a miner put on chain and the block it was made at
 * (which gives the upload's age for epsilon and the evaluation delay).
 *
 * @param hotkey who committed
 * @param data the committed text (UTF-8, at most 128 bytes)
 * @param block the block of the commitment
 */
public record Commitment(String hotkey, String data, long block) {
    public Commitment {
        requireNonNull(hotkey, "hotkey is null");
        requireNonNull(data, "data is null");
    }
}
