package io.pretrain4j.validator;

import static java.lang.System.Logger.Level.WARNING;

import io.pretrain4j.domain.Secrets;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.domain.scoring.CompetitionWeights;
import io.pretrain4j.domain.scoring.ModelEvaluation;
import io.pretrain4j.domain.scoring.ScoringTime;
import io.pretrain4j.domain.scoring.Selection;
import io.pretrain4j.domain.scoring.StepScore;
import io.pretrain4j.ports.chain.Metagraph;
import io.pretrain4j.ports.chain.Neuron;
import io.pretrain4j.validator.ModelEvaluator.ModelResult;
import io.pretrain4j.validator.ModelEvaluator.TaskWindows;
import io.pretrain4j.validator.state.Evaluated;
import io.pretrain4j.validator.state.Row;
import io.pretrain4j.validator.state.StepReport;
import io.pretrain4j.validator.state.TrackedModel;
import io.pretrain4j.validator.state.UnpublishedStep;
import io.pretrain4j.validator.state.ValidatorState;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a scored step changes in the state (issue 20 review: split out of {@link Validator}); the
 * effects outside the state are published later by {@link StepPublisher}.
 */
final class StepRecorder {
    private static final System.Logger LOG = System.getLogger(StepRecorder.class.getName());

    private final ValidatorSettings config;
    private final LoopServices services;
    private final ValidatorState state;
    private final Clock clock;

    StepRecorder(ValidatorSettings config, LoopServices services, ValidatorState state, Clock clock) {
        this.config = config;
        this.services = services;
        this.state = state;
        this.clock = clock;
    }

    /**
     * Scores a step and records it in the state: the policy's weights folded into the competition's
     * running weights, the kept set, each model's evaluation history, the step report, and the step
     * log's line as an unpublished step.
     */
    void record(
            Metagraph metagraph,
            List<Competition> active,
            Competition competition,
            long block,
            BigInteger seed,
            List<TaskWindows> tasks,
            Map<Integer, ModelResult> results) {
        List<ModelEvaluation> evaluations = new ArrayList<>();
        Map<Integer, Double> scores = new TreeMap<>();
        Map<Integer, Long> blocks = new TreeMap<>();
        for (Map.Entry<Integer, ModelResult> entry : results.entrySet()) {
            int uid = entry.getKey();
            long modelBlock = trackedFor(metagraph, uid, competition)
                    .map(TrackedModel::commitBlock)
                    .orElse(ModelEvaluation.UNKNOWN_BLOCK);
            blocks.put(uid, modelBlock);
            scores.put(uid, entry.getValue().score());
            evaluations.add(new ModelEvaluation(
                    uid, entry.getValue().score(), modelBlock, entry.getValue().losses()));
        }
        StepScore score = services.policy()
                .score(ScoringTime.block(block), competition.constraints().epsilon(), evaluations);
        CompetitionWeights weights = CompetitionWeights.of(state.neurons(), state.competitionWeights());
        if (score.updatesWeights()) {
            weights = weights.record(
                    competition.id(), score.weights(), services.policy().ema());
            state.competitionWeights(competition.id(), weights.weightsOf(competition.id()));
        } else {
            LOG.log(
                    WARNING,
                    "Step {0}: no model of {1} is competitive (all failed or were filtered); its weights are unchanged",
                    state.globalStep(),
                    competition.name());
        }
        double[] competitionWeights = weights.weightsOf(competition.id());
        Selection selection = Selection.choose(scores, score.winRates(), competitionWeights, config.sampleMin());
        state.keep(competition.id(), selection.kept());

        Optional<Integer> winner = score.winner();
        long winnerBlock = winner.map(blocks::get).orElse(ModelEvaluation.UNKNOWN_BLOCK);
        double winnerScore = winner.map(scores::get).orElse(Double.POSITIVE_INFINITY);
        for (int uid : results.keySet()) {
            neuron(metagraph, uid).ifPresent(n -> {
                TrackedModel tracked = state.model(n.hotkey());
                if (tracked != null) {
                    state.track(tracked.withEvaluation(
                            competition.id(), new Evaluated(block, scores.get(uid), winnerBlock, winnerScore)));
                }
            });
        }

        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Integer, ModelResult> entry : results.entrySet()) {
            int uid = entry.getKey();
            ModelResult result = entry.getValue();
            Optional<TrackedModel> tracked = trackedFor(metagraph, uid, competition);
            long modelBlock = blocks.get(uid);
            double epsilonAdvantage = modelBlock == ModelEvaluation.UNKNOWN_BLOCK
                    ? 0
                    : competition.constraints().epsilon().epsilon(block, modelBlock);
            rows.add(new Row(
                    uid,
                    neuron(metagraph, uid).map(Neuron::hotkey).orElse(""),
                    tracked.map(t -> t.repoId() + "@" + t.commit()).orElse(""),
                    modelBlock == ModelEvaluation.UNKNOWN_BLOCK ? -1 : modelBlock,
                    Double.isFinite(result.score()) ? result.score() : null,
                    result.taskScores(),
                    epsilonAdvantage,
                    score.winRates().getOrDefault(uid, 0.0),
                    score.wins().getOrDefault(uid, 0),
                    score.weights().getOrDefault(uid, 0.0),
                    uid < competitionWeights.length ? competitionWeights[uid] : 0.0,
                    result.reason()));
        }
        rows.sort((a, b) -> a.competitionWeight() != b.competitionWeight()
                ? Double.compare(b.competitionWeight(), a.competitionWeight())
                : Integer.compare(a.uid(), b.uid()));
        Map<String, List<String>> pages = new LinkedHashMap<>();
        for (TaskWindows task : tasks) {
            pages.put(
                    task.task().name(),
                    task.windows().pages().stream()
                            .map(p -> task.windows().datasetId() + ":" + p.name())
                            .toList());
        }
        StepReport report = new StepReport(
                state.globalStep(),
                competition.id(),
                competition.name(),
                block,
                clock.millis(),
                seed.toString(),
                pages,
                rows);
        // the same computation, with the same competitions, as the weights prepared for the chain after this step
        double[] subnet = state.subnetWeights(active);
        List<Double> loadData = tasks.stream().map(TaskWindows::loadSeconds).toList();
        String line = StepLog.toJson(
                        report,
                        subnet,
                        results.values().stream().map(ModelResult::loadSeconds).toList(),
                        results.values().stream().map(ModelResult::evalSeconds).toList(),
                        loadData)
                .toString();
        // recorded now, published after the state holding it is saved (publishSteps)
        state.recordStep(
                report,
                new UnpublishedStep(
                        report.globalStep(), competition.id(), Secrets.redact(line), List.copyOf(selection.kept())));
    }

    private static Optional<Neuron> neuron(Metagraph metagraph, int uid) {
        return metagraph.neurons().stream().filter(n -> n.uid() == uid).findFirst();
    }

    private Optional<TrackedModel> trackedFor(Metagraph metagraph, int uid, Competition competition) {
        return neuron(metagraph, uid)
                .map(n -> state.model(n.hotkey()))
                .filter(t -> t.competitionId() == competition.id());
    }
}
