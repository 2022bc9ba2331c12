package io.pretrain4j.domain.scoring;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;

/** Numerically stable softmax, as {@code torch.softmax(x / T, dim=0)} computes it. */
public final class Softmax {
    private Softmax() {}

    /** {@code softmax(values / temperature)}; an empty input gives an empty output. */
    public static double[] of(double[] values, double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT,
                    "softmax temperature must be positive and finite, got " + temperature);
        }
        double[] out = new double[values.length];
        if (values.length == 0) {
            return out;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] / temperature;
            max = Math.max(max, out[i]);
        }
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.exp(out[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
