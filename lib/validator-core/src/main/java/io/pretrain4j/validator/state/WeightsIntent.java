package io.pretrain4j.validator.state;

import java.util.List;

/**
 * Weights prepared for the chain.
 *
 * @param uids destination uids
 * @param values u16 values, as the chain stores them
 * @param versionKey the version key sent
 * @param block the block when they were prepared (they can land only after it)
 * @param atMs when they were prepared (epoch ms)
 */
public record WeightsIntent(List<Integer> uids, List<Integer> values, long versionKey, long block, long atMs) {
    public WeightsIntent {
        uids = List.copyOf(uids);
        values = List.copyOf(values);
    }
}
