package io.pretrain4j.domain.scoring;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;

/**
 * The advantage an earlier upload gets over a later one (taoverse {@code EpsilonFunc}). It is
 * always evaluated from the earlier model's block, so an incumbent's advantage shrinks with age.
 */
public sealed interface EpsilonSchedule permits EpsilonSchedule.Fixed, EpsilonSchedule.LinearDecay {
    /** Epsilon at {@code currentBlock} for a model committed at {@code modelBlock}. */
    double epsilon(long currentBlock, long modelBlock);

    /** Epsilon once fully decayed: the reference's {@code compute_epsilon(current=inf, model=0)}. */
    double fullyDecayed();

    /** A fixed epsilon ({@code FixedEpsilon}), as used before September 2024. */
    static EpsilonSchedule fixed(double value) {
        return new Fixed(value);
    }

    /** A linearly decaying epsilon ({@code LinearDecay}). */
    static EpsilonSchedule linearDecay(double start, double end, long decayBlocks) {
        return new LinearDecay(start, end, decayBlocks);
    }

    /** {@code FixedEpsilon(value)}. */
    record Fixed(double value) implements EpsilonSchedule {
        public Fixed {
            checkEpsilon("fixed epsilon", value);
        }

        @Override
        public double epsilon(long currentBlock, long modelBlock) {
            return value;
        }

        @Override
        public double fullyDecayed() {
            return value;
        }
    }

    /**
     * {@code LinearDecay(start, end, decay_blocks)}: {@code d = max(cur - block, 0)};
     * {@code eps = start - min(d / decayBlocks, 1) * (start - end)}, in that order of operations.
     */
    record LinearDecay(double start, double end, long decayBlocks) implements EpsilonSchedule {
        public LinearDecay {
            checkEpsilon("linear-decay start", start);
            checkEpsilon("linear-decay end", end);
            if (decayBlocks <= 0) {
                throw new Pretrain4jException(
                        DomainErrorCode.INVALID_ARGUMENT,
                        "linear-decay decayBlocks must be positive, got " + decayBlocks);
            }
        }

        @Override
        public double epsilon(long currentBlock, long modelBlock) {
            // Blocks are far below 2^53, so long -> double is exact, as Python's int / int is.
            long difference = Math.max(Math.subtractExact(currentBlock, Math.min(modelBlock, currentBlock)), 0);
            double fraction = Math.min((double) difference / (double) decayBlocks, 1.0);
            return start - fraction * (start - end);
        }

        @Override
        public double fullyDecayed() {
            return start - 1.0 * (start - end);
        }
    }

    private static void checkEpsilon(String what, double value) {
        if (!(value >= 0.0 && value < 1.0)) {
            throw new Pretrain4jException(DomainErrorCode.INVALID_ARGUMENT, what + " must be in [0, 1), got " + value);
        }
    }
}
