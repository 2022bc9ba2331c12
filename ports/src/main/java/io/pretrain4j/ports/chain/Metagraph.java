package io.pretrain4j.ports.chain;

import java.util.List;
import java.util.Optional;

/**
 * The subnet's neurons at a block.
 *
 * @param netuid the subnet
 * @param block the block it was read at
 * @param neurons by uid
 */
public record Metagraph(int netuid, long block, List<Neuron> neurons) {
    public Metagraph {
        neurons = List.copyOf(neurons);
    }

    /** The neuron with this hotkey. */
    public Optional<Neuron> byHotkey(String hotkey) {
        return neurons.stream().filter(n -> n.hotkey().equals(hotkey)).findFirst();
    }
}
