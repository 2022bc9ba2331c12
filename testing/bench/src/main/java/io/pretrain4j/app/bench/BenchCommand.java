package io.pretrain4j.app.bench;

import io.pretrain4j.domain.scoring.ChainWeights;
import io.pretrain4j.domain.scoring.CompetitionWeights;
import io.pretrain4j.domain.scoring.EpsilonSchedule;
import io.pretrain4j.domain.scoring.ModelEvaluation;
import io.pretrain4j.domain.scoring.ReferenceScoringPolicy;
import io.pretrain4j.domain.scoring.ScoringTime;
import io.pretrain4j.domain.scoring.StepScore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench scoring}: times one full scoring step (competitive filter, wins, softmax, EMA, mix,
 * u16 conversion) of pretrain4j against a transliteration of the Python reference, in the same JVM
 * and run, and prints a table with the ratio. Results of both are compared before timing.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        subcommands = {
            BenchCommand.Scoring.class,
            InferenceBench.class,
            BackendsBench.class,
            TokenizerBench.class,
            DownloadBench.class,
            MemoryBench.class
        },
        description = "Benchmarks that print numbers, each against a baseline measured in the same run.")
public final class BenchCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The scoring step benchmark. */
    @Command(
            name = "scoring",
            mixinStandardHelpOptions = true,
            description = "Scoring step for N models: pretrain4j vs the Python-shaped baseline.")
    static final class Scoring implements Callable<Integer> {
        @Option(names = "--models", defaultValue = "256", description = "models in the step (default ${DEFAULT-VALUE})")
        private int models;

        @Option(names = "--rounds", defaultValue = "15", description = "measured rounds (default ${DEFAULT-VALUE})")
        private int rounds;

        @Option(
                names = "--round-millis",
                defaultValue = "400",
                description = "length of a round (default ${DEFAULT-VALUE})")
        private long roundMillis;

        @Option(names = "--seed", defaultValue = "9", description = "random seed of the synthetic step")
        private long seed;

        private volatile Object sink;

        @Spec
        private CommandSpec spec;

        private PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() {
            out().printf(
                            "scoring step, %d models, %d rounds of %d ms after warm-up (JDK %s, %d cores)%n",
                            models,
                            rounds,
                            roundMillis,
                            Runtime.version(),
                            Runtime.getRuntime().availableProcessors());
            scenario("random losses (few models competitive)", false);
            scenario("each upload better than the last (all competitive: n^2 pairs)", true);
            return 0;
        }

        private void scenario(String title, boolean allCompetitive) {
            out().printf(Locale.ROOT, "%n== %s ==%n", title);
            SplittableRandom random = new SplittableRandom(seed);
            long currentBlock = 5_200_000;
            EpsilonSchedule epsilon = EpsilonSchedule.linearDecay(0.005, 0.0001, 14400);
            List<ModelEvaluation> step = new ArrayList<>();
            Map<Integer, Double> scores = new LinkedHashMap<>();
            Map<Integer, Long> blocks = new LinkedHashMap<>();
            for (int uid = 0; uid < models; uid++) {
                double score = allCompetitive ? 3.0 - uid * 0.001 : 2.0 + random.nextDouble() * 0.5;
                long block =
                        allCompetitive ? currentBlock - 30_000 + uid * 100L : currentBlock - random.nextLong(1, 30_000);
                step.add(ModelEvaluation.of(uid, score, block));
                scores.put(uid, score);
                blocks.put(uid, block);
            }
            ReferenceScoringPolicy policy = ReferenceScoringPolicy.standard();
            CompetitionWeights previous = CompetitionWeights.empty(models).record(2, Map.of(0, 1.0), policy.ema());
            Map<Integer, double[]> previousMap = Map.of(2, previous.weightsOf(2));

            Runnable ours = () -> {
                StepScore score = policy.score(ScoringTime.block(currentBlock), epsilon, step);
                CompetitionWeights next = previous.record(2, score.weights(), policy.ema());
                sink = ChainWeights.fromVector(next.subnetWeights(Map.of(2, 1.0)));
            };
            Runnable baseline = () -> sink = NaiveReferenceScoring.step(
                    scores, blocks, epsilon, currentBlock, ReferenceScoringPolicy.TEMPERATURE, models, previousMap, 2);
            checkSameAnswer(policy, currentBlock, epsilon, step, previous, scores, blocks, previousMap);

            measure(baseline, 3);
            measure(ours, 3);
            double[] base = measure(baseline, rounds);
            double[] mine = measure(ours, rounds);
            out().printf(
                            Locale.ROOT,
                            "%-34s %14s %14s %14s%n",
                            "implementation",
                            "median us/step",
                            "min us/step",
                            "steps/s");
            row("baseline (Python-shaped, boxed)", base);
            row("pretrain4j (primitive arrays)", mine);
            out().printf(
                            Locale.ROOT,
                            "speed-up (baseline median / pretrain4j median): %.1fx%n",
                            median(base) / median(mine));
        }

        private void checkSameAnswer(
                ReferenceScoringPolicy policy,
                long currentBlock,
                EpsilonSchedule epsilon,
                List<ModelEvaluation> step,
                CompetitionWeights previous,
                Map<Integer, Double> scores,
                Map<Integer, Long> blocks,
                Map<Integer, double[]> previousMap) {
            StepScore score = policy.score(ScoringTime.block(currentBlock), epsilon, step);
            ChainWeights chain = ChainWeights.fromVector(
                    previous.record(2, score.weights(), policy.ema()).subnetWeights(Map.of(2, 1.0)));
            NaiveReferenceScoring.Result naive = NaiveReferenceScoring.step(
                    scores, blocks, epsilon, currentBlock, ReferenceScoringPolicy.TEMPERATURE, models, previousMap, 2);
            boolean same = naive.competitive().equals(score.competitiveUids())
                    && naive.wins().equals(score.wins())
                    && Arrays.equals(
                            naive.chainUids().stream()
                                    .mapToInt(Integer::intValue)
                                    .toArray(),
                            chain.uids())
                    && Arrays.equals(
                            naive.chainValues().stream()
                                    .mapToInt(Integer::intValue)
                                    .toArray(),
                            chain.values());
            if (!same) {
                throw new IllegalStateException(
                        "pretrain4j and the baseline disagree; the benchmark would be meaningless");
            }
            out().printf(
                            "answers agree: %d competitive of %d, %d uids with u16 weight%n",
                            score.competitiveUids().size(), models, chain.uids().length);
        }

        private double[] measure(Runnable task, int count) {
            double[] microsPerStep = new double[count];
            for (int round = 0; round < count; round++) {
                long deadline = System.nanoTime() + roundMillis * 1_000_000;
                long steps = 0;
                long start = System.nanoTime();
                long now;
                do {
                    task.run();
                    steps++;
                    now = System.nanoTime();
                } while (now < deadline);
                microsPerStep[round] = (now - start) / 1000.0 / steps;
            }
            return microsPerStep;
        }

        private void row(String name, double[] micros) {
            out().printf(
                            "%-34s %14.1f %14.1f %14.0f%n",
                            name, median(micros), Arrays.stream(micros).min().orElse(0), 1e6 / median(micros));
        }

        private static double median(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }
    }
}
