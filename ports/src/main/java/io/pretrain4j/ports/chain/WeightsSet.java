package io.pretrain4j.ports.chain;

import java.util.Arrays;

/**
 * The weights a validator last set, as the chain stores them: u16 values scaled so the largest is
 * 65535.
 *
 * @param uids destination uids, ascending
 * @param weights u16 weights, same order
 * @param block the block they were set at
 */
public record WeightsSet(int[] uids, int[] weights, long block) {
    public WeightsSet {
        uids = uids.clone();
        weights = weights.clone();
    }

    @Override
    public int[] uids() {
        return uids.clone();
    }

    @Override
    public int[] weights() {
        return weights.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightsSet other
                && Arrays.equals(uids, other.uids)
                && Arrays.equals(weights, other.weights)
                && block == other.block;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(uids) + Arrays.hashCode(weights)) + Long.hashCode(block);
    }

    @Override
    public String toString() {
        return "WeightsSet[uids=" + Arrays.toString(uids) + ", weights=" + Arrays.toString(weights) + ", block=" + block
                + "]";
    }
}
