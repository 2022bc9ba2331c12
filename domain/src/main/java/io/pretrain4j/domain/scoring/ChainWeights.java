package io.pretrain4j.domain.scoring;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import java.util.Arrays;

/**
 * Weights in the chain's u16 form, as the Python SDK's {@code convert_weights_and_uids_for_emit}
 * makes them: max-upscale so the largest weight is 65535, round half to even (Python's
 * {@code round}), drop uids whose value is 0. All-zero weights give nothing to set.
 *
 * @param uids destination uids, ascending as given
 * @param values u16 values (0..65535), none zero
 */
public record ChainWeights(int[] uids, int[] values) {
    /** The largest u16. */
    public static final int U16_MAX = 65535;

    public ChainWeights {
        uids = uids.clone();
        values = values.clone();
        if (uids.length != values.length) {
            throw invalid("got " + uids.length + " uids and " + values.length + " values");
        }
    }

    /** Converts float weights over {@code uids}. */
    public static ChainWeights fromFloats(int[] uids, double[] weights) {
        if (uids.length != weights.length) {
            throw invalid("got " + uids.length + " uids and " + weights.length + " weights");
        }
        double max = 0;
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (uids[i] < 0 || uids[i] > U16_MAX) {
                throw invalid("uid " + uids[i] + " is outside 0.." + U16_MAX);
            }
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw invalid("uid " + uids[i] + " has weight " + weights[i] + "; weights must be finite and >= 0");
            }
            max = Math.max(max, weights[i]);
            sum += weights[i];
        }
        if (sum == 0) {
            return new ChainWeights(new int[0], new int[0]);
        }
        int[] outUids = new int[uids.length];
        int[] outValues = new int[uids.length];
        int count = 0;
        for (int i = 0; i < weights.length; i++) {
            int value = (int) Math.rint(weights[i] / max * U16_MAX);
            if (value != 0) {
                outUids[count] = uids[i];
                outValues[count] = value;
                count++;
            }
        }
        return new ChainWeights(Arrays.copyOf(outUids, count), Arrays.copyOf(outValues, count));
    }

    /** Converts a metagraph-sized vector, uid = index. */
    public static ChainWeights fromVector(double[] weights) {
        int[] uids = new int[weights.length];
        Arrays.setAll(uids, i -> i);
        return fromFloats(uids, weights);
    }

    @Override
    public int[] uids() {
        return uids.clone();
    }

    @Override
    public int[] values() {
        return values.clone();
    }

    /** Whether there is nothing to set. */
    public boolean isEmpty() {
        return uids.length == 0;
    }

    private static Pretrain4jException invalid(String message) {
        return new Pretrain4jException(
                DomainErrorCode.INVALID_WEIGHTS, "Cannot convert weights for the chain: " + message);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainWeights other
                && Arrays.equals(uids, other.uids)
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(uids) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "ChainWeights[uids=" + Arrays.toString(uids) + ", values=" + Arrays.toString(values) + "]";
    }
}
