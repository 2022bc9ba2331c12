package io.pretrain4j.domain.scoring;

import static io.pretrain4j.domain.Golden.asDouble;
import static io.pretrain4j.domain.Golden.asInt;
import static io.pretrain4j.domain.Golden.asLong;
import static io.pretrain4j.domain.Golden.list;
import static io.pretrain4j.domain.Golden.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pretrain4j.domain.Golden;
import io.pretrain4j.domain.Pretrain4jException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReferenceScoringTest {
    private static final EpsilonSchedule DECAY = EpsilonSchedule.linearDecay(0.005, 0.0001, 14400);
    private static final long NOW = 5_200_000;

    @Test
    void matchesTheReferenceOnGoldenSteps() {
        Map<String, Object> golden = Golden.load("scoring.json");
        int withEmptySet = 0;
        for (Object item : list(golden.get("steps"))) {
            Map<String, Object> step = map(item);
            Map<String, Object> expected = map(step.get("expected"));
            List<ModelEvaluation> models = new ArrayList<>();
            for (Object m : list(step.get("models"))) {
                Map<String, Object> model = map(m);
                models.add(ModelEvaluation.of(
                        asInt(model.get("uid")), asDouble(model.get("score")), asLong(model.get("block"))));
            }
            StepScore score = ReferenceScoring.score(
                    models,
                    asLong(step.get("currentBlock")),
                    epsilon(map(step.get("epsilon"))),
                    asDouble(step.get("temperature")));
            String context = "step " + step;
            assertThat(score.competitiveUids())
                    .as(context)
                    .isEqualTo(list(expected.get("competitiveUids")).stream()
                            .map(Golden::asInt)
                            .toList());
            map(expected.get("wins"))
                    .forEach((uid, wins) -> assertThat(score.wins().get(Integer.valueOf(uid)))
                            .as(context)
                            .isEqualTo(asInt(wins)));
            map(expected.get("winRates"))
                    .forEach((uid, rate) -> assertThat(score.winRates().get(Integer.valueOf(uid)))
                            .as(context)
                            .isEqualTo(asDouble(rate)));
            Map<String, Object> weights = map(expected.get("weights"));
            assertThat(score.weights()).as(context).hasSize(weights.size());
            weights.forEach((uid, weight) -> assertThat(score.weights().get(Integer.valueOf(uid)))
                    .as(context)
                    .isCloseTo(asDouble(weight), within(1e-15)));
            if (weights.isEmpty()) {
                withEmptySet++;
                assertThat(score.updatesWeights()).isFalse();
                continue;
            }
            CompetitionWeights tracked =
                    CompetitionWeights.empty(256).record(0, score.weights(), new EmaRule(0.5, true));
            ChainWeights chain = ChainWeights.fromVector(tracked.weightsOf(0));
            assertThat(chain.uids())
                    .as(context)
                    .containsExactly(list(expected.get("chainUids")).stream()
                            .mapToInt(Golden::asInt)
                            .toArray());
            assertThat(chain.values())
                    .as(context)
                    .containsExactly(list(expected.get("chainValues")).stream()
                            .mapToInt(Golden::asInt)
                            .toArray());
        }
        assertThat(withEmptySet)
                .as("the fixtures include a step with no competitive model")
                .isPositive();
    }

    /** The policy scores at a block: an epoch second (the W&B era's time) is refused, not read as a block. */
    @Test
    void theReferencePolicyScoresAtABlockOnly() {
        List<ModelEvaluation> models = List.of(ModelEvaluation.of(1, 3.0, 100), ModelEvaluation.of(2, 2.0, 200));
        ReferenceScoringPolicy policy = ReferenceScoringPolicy.standard();
        assertThat(policy.score(ScoringTime.block(NOW), DECAY, models).weights())
                .isEqualTo(ReferenceScoring.score(
                                models,
                                NOW,
                                DECAY,
                                ReferenceScoringPolicy.standard().temperature())
                        .weights());
        assertThatThrownBy(() -> policy.score(ScoringTime.epochSecond(1_700_000_000L), DECAY, models))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessage("the reference policy scores at a block, not at epoch second 1700000000");
        assertThatThrownBy(() -> ScoringTime.block(-1))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("not negative");
    }

    @Test
    void theEarliestModelIsAlwaysCompetitiveEvenWithAnInfiniteScore() {
        List<ModelEvaluation> models =
                List.of(ModelEvaluation.of(1, Double.POSITIVE_INFINITY, 100), ModelEvaluation.of(2, 2.0, 200));
        StepScore score = ReferenceScoring.score(models, NOW, DECAY, 0.01);
        assertThat(score.competitiveUids()).containsExactly(1, 2);
        assertThat(score.winner()).contains(2);
    }

    @Test
    void aCopyUploadedLaterIsNotCompetitive() {
        List<ModelEvaluation> models = List.of(
                ModelEvaluation.of(1, 2.30, 1000),
                ModelEvaluation.of(2, 2.30, 2000),
                ModelEvaluation.of(3, 2.2999, 3000));
        StepScore score = ReferenceScoring.score(models, NOW, DECAY, 0.01);
        assertThat(score.competitiveUids()).containsExactly(1);
        assertThat(score.winRates()).containsEntry(1, 1.0);
        assertThat(score.weights().get(1)).isGreaterThan(0.99);
    }

    @Test
    void tiesAtTheSameBlockEliminateBothAndNothingCrashes() {
        List<ModelEvaluation> models = List.of(ModelEvaluation.of(4, 2.5, 1000), ModelEvaluation.of(9, 2.5, 1000));
        StepScore score = ReferenceScoring.score(models, NOW, DECAY, 0.01);
        assertThat(score.competitiveUids()).isEmpty();
        assertThat(score.weights()).isEmpty();
        assertThat(score.updatesWeights()).isFalse();
        assertThat(score.winner()).isEmpty();
    }

    @Test
    void anEmptyStepScoresNothing() {
        StepScore score = ReferenceScoring.score(List.of(), NOW, DECAY, 0.01);
        assertThat(score.competitiveUids()).isEmpty();
        assertThat(score.updatesWeights()).isFalse();
    }

    @Test
    void aLoneModelHasWinRateOne() {
        StepScore score = ReferenceScoring.score(List.of(ModelEvaluation.of(3, 2.0, 10)), NOW, DECAY, 0.01);
        assertThat(score.winRates()).containsEntry(3, 1.0);
        assertThat(score.weights()).containsEntry(3, 1.0);
    }

    @Test
    void isWinGivesTheEarlierModelTheDecayedAdvantageAndTiesLoseForBoth() {
        EpsilonSchedule fixed = EpsilonSchedule.fixed(0.01);
        assertThat(ReferenceScoring.isWin(2.02, 2.01, 1, 2, fixed, 3)).isTrue();
        assertThat(ReferenceScoring.isWin(2.01, 2.02, 2, 1, fixed, 3)).isFalse();
        assertThat(ReferenceScoring.isWin(2.0, 2.0, 5, 5, fixed, 6)).isFalse();
        // Equal blocks: no epsilon either way, so the plain lower loss wins by any margin.
        assertThat(ReferenceScoring.isWin(1.9999, 2.0, 5, 5, fixed, 6)).isTrue();
        // A year-old incumbent keeps only the fully decayed epsilon.
        assertThat(ReferenceScoring.isWin(2.0, 1.9997, 0, 1, DECAY, 1_000_000)).isFalse();
        assertThat(ReferenceScoring.isWin(2.0, 1.9997, 0, 1, DECAY, 100)).isTrue();
    }

    @Test
    void rejectsDuplicateUids() {
        assertThatThrownBy(() -> ReferenceScoring.score(
                        List.of(ModelEvaluation.of(1, 2, 3), ModelEvaluation.of(1, 2, 4)), NOW, DECAY, 0.01))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("uid 1 appears more than once");
    }

    @Test
    void nanScoresAreInfiniteAndNeverWin() {
        List<ModelEvaluation> models = List.of(ModelEvaluation.of(1, 2.5, 10), ModelEvaluation.of(2, Double.NaN, 5));
        StepScore score = ReferenceScoring.score(models, NOW, DECAY, 0.01);
        assertThat(score.winner()).contains(1);
        assertThat(models.get(1).score()).isInfinite();
    }

    /** Property: the O(n log n) filter equals the reference's quadratic definition on random steps with ties. */
    @Test
    void competitiveFilterEqualsTheQuadraticDefinition() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 3000; trial++) {
            List<ModelEvaluation> models = randomStep(random, 1 + random.nextInt(30));
            EpsilonSchedule epsilon = random.nextBoolean() ? DECAY : EpsilonSchedule.fixed(random.nextDouble() * 0.05);
            boolean[] fast = ReferenceScoring.competitiveMask(models, epsilon);
            double full = 1 - epsilon.fullyDecayed();
            for (int u = 0; u < models.size(); u++) {
                boolean keep = true;
                for (int v = 0; v < models.size(); v++) {
                    if (v != u
                            && models.get(v).block() <= models.get(u).block()
                            && models.get(u).score() >= models.get(v).score() * full) {
                        keep = false;
                    }
                }
                assertThat(fast[u])
                        .as("trial %d model %d of %s", trial, u, models)
                        .isEqualTo(keep);
            }
        }
    }

    /** Properties of every step: wins are antisymmetric, weights sum to 1, order of input does not matter. */
    @Test
    void winsAreAntisymmetricWeightsSumToOneAndInputOrderIsIrrelevant() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 500; trial++) {
            List<ModelEvaluation> models = randomStep(random, 2 + random.nextInt(25));
            StepScore score = ReferenceScoring.score(models, NOW, DECAY, 0.01);
            List<Integer> competitive = score.competitiveUids();
            int n = competitive.size();
            int totalWins =
                    score.wins().values().stream().mapToInt(Integer::intValue).sum();
            assertThat(totalWins).isLessThanOrEqualTo(n * (n - 1) / 2);
            if (score.updatesWeights()) {
                assertThat(score.weights().values().stream()
                                .mapToDouble(Double::doubleValue)
                                .sum())
                        .isCloseTo(1.0, within(1e-12));
            }
            List<ModelEvaluation> shuffled = new ArrayList<>(models);
            Collections.shuffle(shuffled, new java.util.Random(trial));
            StepScore again = ReferenceScoring.score(shuffled, NOW, DECAY, 0.01);
            assertThat(new HashSet<>(again.competitiveUids())).isEqualTo(new HashSet<>(competitive));
            assertThat(again.wins()).isEqualTo(score.wins());
            assertThat(again.weights()).isEqualTo(score.weights());
        }
    }

    /** Property: the best loss at the earliest block always gets the most weight. */
    @Test
    void theEarliestBestModelGetsTheMostWeight() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 300; trial++) {
            List<ModelEvaluation> models = new ArrayList<>(randomStep(random, 1 + random.nextInt(20)));
            models.add(ModelEvaluation.of(300, 1.0, 0));
            StepScore score = ReferenceScoring.score(models, NOW, DECAY, 0.01);
            double best = score.weights().get(300);
            score.weights().forEach((uid, weight) -> assertThat(weight).isLessThanOrEqualTo(best));
            assertThat(score.winner()).contains(300);
        }
    }

    static List<ModelEvaluation> randomStep(SplittableRandom random, int n) {
        List<ModelEvaluation> models = new ArrayList<>();
        List<Integer> uids = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            uids.add(i);
        }
        Collections.shuffle(uids, new java.util.Random(random.nextLong()));
        for (int i = 0; i < n; i++) {
            double score = random.nextInt(10) == 0 ? Double.POSITIVE_INFINITY : 2.0 + random.nextInt(40) * 0.005;
            long block = NOW - random.nextInt(6) * 3000L;
            if (i > 0 && random.nextInt(6) == 0) {
                ModelEvaluation copy = models.get(random.nextInt(models.size()));
                score = copy.score();
                block = random.nextBoolean() ? copy.block() : block;
            }
            ModelEvaluation model = ModelEvaluation.of(uids.get(i), score, block);
            models.add(model);
        }
        return models;
    }

    static EpsilonSchedule epsilon(Map<String, Object> spec) {
        if (spec.get("kind").equals("fixed")) {
            return EpsilonSchedule.fixed(asDouble(spec.get("value")));
        }
        return EpsilonSchedule.linearDecay(
                asDouble(spec.get("start")), asDouble(spec.get("end")), asLong(spec.get("decayBlocks")));
    }
}
