package io.pretrain4j.validator.state;

import io.pretrain4j.domain.scoring.RetryRule;

/**
 * One past evaluation ({@code EvalResult}); {@link RetryRule.Evaluation} as stored.
 *
 * @param block the block the step ran at
 * @param score the model's score, +inf when it failed
 * @param winnerBlock the commit block of that step's winner
 * @param winnerScore the winner's score
 */
public record Evaluated(long block, double score, long winnerBlock, double winnerScore) {
    public RetryRule.Evaluation toRule() {
        return new RetryRule.Evaluation(block, score, winnerBlock, winnerScore);
    }
}
