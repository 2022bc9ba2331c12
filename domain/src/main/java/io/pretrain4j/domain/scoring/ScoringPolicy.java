package io.pretrain4j.domain.scoring;

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
     * @param now the current block (or, for time-based policies, the current epoch second)
     * @param competitionEpsilon the competition's epsilon schedule; a policy may have its own
     * @param models the step's evaluations, with distinct uids
     */
    StepScore score(long now, EpsilonSchedule competitionEpsilon, List<ModelEvaluation> models);

    /** How step weights fold into a competition's running weights. */
    EmaRule ema();
}
