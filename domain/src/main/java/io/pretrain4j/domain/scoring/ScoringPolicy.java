package io.pretrain4j.domain.scoring;

import io.pretrain4j.domain.DomainErrorCode;
import java.util.List;

/**
 * A rule that turns one step's evaluations into step weights. The reference policy is
 * {@link ReferenceScoringPolicy}; {@link WandbEraScoringPolicy} reproduces the subnet's first
 * version. Plugins may add others through the SPI.
 */
public interface ScoringPolicy {
    /** The name operators select the policy by. */
    String name();

    /**
     * Scores one step.
     *
     * @param now when the step is scored, in the unit of the models' upload times: a block, or for
     *     time-based policies an epoch second; a policy refuses a kind it cannot score at
     *     ({@link DomainErrorCode#INVALID_SCORING_INPUT})
     * @param competitionEpsilon the competition's epsilon schedule; a policy may have its own
     * @param models the step's evaluations, with distinct uids
     */
    StepScore score(ScoringTime now, EpsilonSchedule competitionEpsilon, List<ModelEvaluation> models);

    /** How step weights fold into a competition's running weights. */
    EmaRule ema();
}
