package io.pretrain4j.domain.scoring;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;

/**
 * How a competition's step weights fold into its running weights:
 * {@code w = alpha * old + (1 - alpha) * new}.
 *
 * @param alpha weight of the old value, in [0, 1]
 * @param firstRecordTakesNew whether the first record of a competition is taken as is (the current
 *     reference's {@code CompetitionTracker}), or folded into zeros (the wandb-era validator)
 */
public record EmaRule(double alpha, boolean firstRecordTakesNew) {
    public EmaRule {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT, "EMA alpha must be in [0, 1], got " + alpha);
        }
    }
}
