package io.pretrain4j.domain.data;

import io.pretrain4j.domain.random.MersenneTwister;
import java.util.List;

/**
 * Chooses the pages of one evaluation from a seeded generator, drawing exactly what the reference's
 * loader draws, so that a Python validator and a pretrain4j validator given the same seed fetch the
 * same pages.
 *
 * <p>The reference repeats its page choice (a "round") while the pages it fetched hold fewer tokens
 * than one window; {@link #nextRound} is called once per round on the same generator.
 */
public interface PageSampler {
    /** The pages of the next round, consuming {@code random} as the reference does. */
    List<Page> nextRound(MersenneTwister random);

    /**
     * Whether the tokens of earlier rounds are kept when a round is repeated. The reference's
     * config-style loaders (FineWeb) append to their buffer; the simple loaders start it afresh.
     */
    boolean keepsEarlierRounds();
}
