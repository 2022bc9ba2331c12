package io.pretrain4j.domain.scoring;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;

/**
 * When a step is scored, in the unit its models' upload times are in ({@link ModelEvaluation#block()}):
 * a chain block (subnet 9 today: commitments are dated by their block) or an epoch second (the W&amp;B
 * era: runs were dated by their upload timestamp). A policy that needs one says so instead of reading a
 * bare {@code long} that could mean either.
 */
public sealed interface ScoringTime {
    /** The block number or the epoch second. */
    long value();

    /** At chain block {@code number}. */
    static Block block(long number) {
        return new Block(number);
    }

    /** At the epoch second {@code second}. */
    static EpochSecond epochSecond(long second) {
        return new EpochSecond(second);
    }

    /**
     * A chain block.
     *
     * @param value the block number, not negative
     */
    record Block(long value) implements ScoringTime {
        public Block {
            if (value < 0) {
                throw new Pretrain4jException(
                        DomainErrorCode.INVALID_SCORING_INPUT, "a block is not negative, got " + value);
            }
        }

        @Override
        public String toString() {
            return "block " + value;
        }
    }

    /**
     * A moment in seconds since the epoch.
     *
     * @param value seconds since 1970-01-01T00:00:00Z
     */
    record EpochSecond(long value) implements ScoringTime {
        @Override
        public String toString() {
            return "epoch second " + value;
        }
    }
}
