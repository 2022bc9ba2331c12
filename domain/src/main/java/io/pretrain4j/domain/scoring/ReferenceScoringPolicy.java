package io.pretrain4j.domain.scoring;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import java.util.List;

/**
 * The current reference validator's policy: competitive filter, wins on mean scores with the
 * competition's epsilon schedule from block numbers, {@code softmax(winRate / 0.01)}, per-competition
 * EMA with alpha 0.5 whose first record takes the new value.
 *
 * @param temperature the softmax temperature (0.01 in the reference)
 * @param alpha the EMA weight of the old value (0.5 in the reference)
 */
public record ReferenceScoringPolicy(double temperature, double alpha) implements ScoringPolicy {
    /** The policy's name in configuration. */
    public static final String NAME = "reference";
    /** The reference temperature. */
    public static final double TEMPERATURE = 0.01;
    /** The reference EMA alpha. */
    public static final double ALPHA = 0.5;

    /** The policy with the reference's constants. */
    public static ReferenceScoringPolicy standard() {
        return new ReferenceScoringPolicy(TEMPERATURE, ALPHA);
    }

    public ReferenceScoringPolicy {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT,
                    "reference policy temperature must be positive and finite, got " + temperature);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT, "reference policy alpha must be in [0, 1], got " + alpha);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StepScore score(ScoringTime now, EpsilonSchedule competitionEpsilon, List<ModelEvaluation> models) {
        if (!(now instanceof ScoringTime.Block block)) {
            // the reference's epsilon decays over blocks and its models are dated by their commitment's block
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_SCORING_INPUT, "the " + NAME + " policy scores at a block, not at " + now);
        }
        return ReferenceScoring.score(models, block.value(), competitionEpsilon, temperature);
    }

    @Override
    public EmaRule ema() {
        return new EmaRule(alpha, true);
    }
}
