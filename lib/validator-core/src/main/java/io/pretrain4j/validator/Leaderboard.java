package io.pretrain4j.validator;

import io.pretrain4j.validator.state.Row;
import io.pretrain4j.validator.state.StateStore;
import io.pretrain4j.validator.state.StepReport;
import io.pretrain4j.validator.state.ValidatorState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/** Prints step tables and the leaderboard (the latest step of every competition) from the state. */
public final class Leaderboard {
    private Leaderboard() {}

    /** Prints the leaderboard kept in {@code stateDir}; false when there is no step yet. */
    public static boolean print(PrintWriter out, Path stateDir) {
        StateStore store = StateStore.jsonFile(stateDir, Clock.systemUTC());
        ValidatorState state = store.peek().orElse(null);
        if (state == null || state.lastSteps().isEmpty()) {
            out.println("No step has been recorded in " + store.location() + " yet.");
            return false;
        }
        out.printf(
                "Leaderboard after %d step(s); weights last set at block %s%n",
                state.globalStep(), state.weightsSetBlock() < 0 ? "(never)" : Long.toString(state.weightsSetBlock()));
        for (StepReport report : state.lastSteps().values()) {
            printStep(out, report, state.kept(report.competitionId()));
        }
        return true;
    }

    /** One step as a table: uid, repo, block, loss, epsilon advantage, win rate, weight. */
    static void printStep(PrintWriter out, StepReport report, Set<Integer> kept) {
        out.printf(
                "%nStep %d - %s (competition %d) at block %d, %s%n",
                report.globalStep(),
                report.competition(),
                report.competitionId(),
                report.block(),
                Instant.ofEpochMilli(report.timeMs()));
        out.printf(
                "%5s  %-44s %9s %10s %9s %8s %6s %9s %9s  %s%n",
                "uid", "repo", "block", "loss", "eps adv", "win rate", "wins", "step w", "comp w", "note");
        for (Row row : report.rows()) {
            String repo = row.repo().length() > 44 ? row.repo().substring(0, 41) + "..." : row.repo();
            String note = !row.reason().isEmpty() ? row.reason() : kept.contains(row.uid()) ? "kept" : "dropped";
            if (note.length() > 100) {
                note = note.substring(0, 97) + "...";
            }
            out.printf(
                    "%5d  %-44s %9s %10s %9.5f %8.3f %6d %9.4f %9.4f  %s%n",
                    row.uid(),
                    repo,
                    row.block() < 0 ? "-" : Long.toString(row.block()),
                    row.score() == null ? "inf" : String.format(Locale.ROOT, "%.5f", row.score()),
                    row.epsilonAdvantage(),
                    row.winRate(),
                    row.wins(),
                    row.stepWeight(),
                    row.competitionWeight(),
                    note);
        }
    }
}
