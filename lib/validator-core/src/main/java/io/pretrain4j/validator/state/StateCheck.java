package io.pretrain4j.validator.state;

import io.pretrain4j.domain.scoring.RetryRule;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The schema of a restored {@link ValidatorState}, checked whole before any of it is used: every
 * collection element present, every required field set, every number in its range. A state that
 * fails anywhere is moved aside by {@link StateStore}; a partly valid state is never half-used (a
 * {@code null} in one model's history made the validator re-evaluate forever, a wrong hotkey field
 * scored a uid +inf forever, a step of {@code Long.MAX_VALUE} wrapped to a negative step).
 */
final class StateCheck {
    /** uids are u16 on chain. */
    static final int MAX_UID = 65535;

    private StateCheck() {}

    /** Throws an {@link IOException} naming the first field that is wrong, as a path ({@code models["5Hk"].history["1"][0]}). */
    static void check(ValidatorState state, long maxStep) throws IOException {
        range("globalStep", state.globalStep, 0, maxStep);
        range("versionKey", state.versionKey, 0, Long.MAX_VALUE);
        range("neurons", state.neurons, 0, MAX_UID + 1);
        range("weightsSetAtMs", state.weightsSetAtMs, 0, Long.MAX_VALUE);
        range("weightsSetBlock", state.weightsSetBlock, -1, Long.MAX_VALUE);
        range("weightsFailedAtMs", state.weightsFailedAtMs, 0, Long.MAX_VALUE);
        range("topModelScanAtMs", state.topModelScanAtMs, 0, Long.MAX_VALUE);
        uidSets("uidsToEval", state.uidsToEval);
        uidSets("pending", state.pending);
        present("models", state.models);
        for (Map.Entry<String, TrackedModel> entry : state.models.entrySet()) {
            model("models[\"" + entry.getKey() + "\"]", entry.getKey(), entry.getValue());
        }
        present("competitionWeights", state.competitionWeights);
        for (Map.Entry<Integer, double[]> entry : state.competitionWeights.entrySet()) {
            String path = "competitionWeights[\"" + entry.getKey() + "\"]";
            key(path, entry.getKey());
            double[] weights = entry.getValue();
            if (weights == null || weights.length != state.neurons) {
                throw new IOException(path + " does not match the " + state.neurons + " neurons recorded");
            }
            for (double w : weights) {
                if (!(w >= 0 && w <= 1)) {
                    throw new IOException(path + ": competition weight " + w + " is not in [0, 1]");
                }
            }
        }
        present("checkedAtMs", state.checkedAtMs);
        for (Map.Entry<Integer, Long> entry : state.checkedAtMs.entrySet()) {
            String path = "checkedAtMs[\"" + entry.getKey() + "\"]";
            uid(path, entry.getKey());
            if (entry.getValue() == null) {
                throw new IOException(path + " is null");
            }
            range(path, entry.getValue(), 0, Long.MAX_VALUE);
        }
        present("unpublished", state.unpublished);
        long previous = -1;
        for (int i = 0; i < state.unpublished.size(); i++) {
            UnpublishedStep step = state.unpublished.get(i);
            String at = "unpublished[" + i + "]";
            if (step == null) {
                throw new IOException(at + " is null");
            }
            range(at + ".step", step.step(), previous + 1, Math.min(maxStep, state.globalStep - 1));
            text(at + ".line", step.line());
            for (Integer uid : step.kept()) {
                uid(at + ".kept element", uid);
            }
            previous = step.step();
        }
        WeightsIntent intent = state.weightsIntent;
        if (intent != null) {
            if (intent.uids().size() != intent.values().size() || intent.uids().isEmpty()) {
                throw new IOException("weightsIntent has " + intent.uids().size() + " uids and "
                        + intent.values().size() + " values");
            }
            for (int i = 0; i < intent.uids().size(); i++) {
                uid("weightsIntent.uids[" + i + "]", intent.uids().get(i));
                Integer value = intent.values().get(i);
                if (value == null || value < 0 || value > 65535) {
                    throw new IOException("weightsIntent.values[" + i + "] is " + value + ", not a u16");
                }
            }
            range("weightsIntent.block", intent.block(), 0, Long.MAX_VALUE);
        }
        present("lastSteps", state.lastSteps);
        for (Map.Entry<Integer, StepReport> entry : state.lastSteps.entrySet()) {
            report("lastSteps[\"" + entry.getKey() + "\"]", entry.getKey(), entry.getValue(), maxStep);
        }
    }

    private static void model(String path, String key, TrackedModel model) throws IOException {
        if (model == null) {
            throw new IOException(path + " is null");
        }
        text(path + ".hotkey", model.hotkey());
        if (!model.hotkey().equals(key)) {
            throw new IOException(path + ".hotkey is \"" + model.hotkey() + "\", not the hotkey it is filed under");
        }
        uid(path + ".uid", model.uid());
        text(path + ".chainString", model.chainString());
        text(path + ".repoId", model.repoId());
        text(path + ".commit", model.commit());
        range(path + ".commitBlock", model.commitBlock(), 0, Long.MAX_VALUE);
        range(path + ".competitionId", model.competitionId(), 0, MAX_UID);
        for (Map.Entry<Integer, List<Evaluated>> entry : model.history().entrySet()) {
            String at = path + ".history[\"" + entry.getKey() + "\"]";
            List<Evaluated> list = entry.getValue();
            if (list.size() > RetryRule.HISTORY_LENGTH) {
                throw new IOException(at + " holds " + list.size() + " evaluations; at most " + RetryRule.HISTORY_LENGTH
                        + " are kept");
            }
            for (int i = 0; i < list.size(); i++) {
                Evaluated evaluated = list.get(i);
                String item = at + "[" + i + "]";
                if (evaluated == null) {
                    throw new IOException(item + " is null");
                }
                range(item + ".block", evaluated.block(), 0, Long.MAX_VALUE);
                range(item + ".winnerBlock", evaluated.winnerBlock(), -1, Long.MAX_VALUE);
                loss(item + ".score", evaluated.score());
                loss(item + ".winnerScore", evaluated.winnerScore());
            }
        }
    }

    private static void report(String path, int key, StepReport report, long maxStep) throws IOException {
        if (report == null) {
            throw new IOException(path + " is null");
        }
        if (report.competitionId() != key) {
            throw new IOException(
                    path + ".competitionId is " + report.competitionId() + ", not the competition it is filed under");
        }
        range(path + ".globalStep", report.globalStep(), 0, maxStep);
        range(path + ".block", report.block(), 0, Long.MAX_VALUE);
        text(path + ".competition", report.competition());
        text(path + ".seed", report.seed());
        for (int i = 0; i < report.rows().size(); i++) {
            Row row = report.rows().get(i);
            String at = path + ".rows[" + i + "]";
            if (row == null) {
                throw new IOException(at + " is null");
            }
            uid(at + ".uid", row.uid());
            text(at + ".hotkey", row.hotkey());
            text(at + ".repo", row.repo());
            text(at + ".reason", row.reason());
            if (row.score() != null) {
                loss(at + ".score", row.score());
            }
        }
    }

    private static void uidSets(String path, Map<Integer, ? extends Set<Integer>> sets) throws IOException {
        present(path, sets);
        for (Map.Entry<Integer, ? extends Set<Integer>> entry : sets.entrySet()) {
            String at = path + "[\"" + entry.getKey() + "\"]";
            key(at, entry.getKey());
            if (entry.getValue() == null) {
                throw new IOException(at + " is null");
            }
            for (Integer uid : entry.getValue()) {
                uid(at + " element", uid);
            }
        }
    }

    private static void present(String path, Object value) throws IOException {
        if (value == null) {
            throw new IOException(path + " is null");
        }
    }

    private static void key(String path, Integer key) throws IOException {
        if (key == null || key < 0 || key > MAX_UID) {
            throw new IOException(path + ": key " + key + " is not a competition id in 0.." + MAX_UID);
        }
    }

    private static void uid(String path, Integer uid) throws IOException {
        if (uid == null || uid < 0 || uid > MAX_UID) {
            throw new IOException(path + " is " + uid + ", not a uid in 0.." + MAX_UID);
        }
    }

    private static void text(String path, String value) throws IOException {
        if (value == null) {
            throw new IOException(path + " is missing or null");
        }
    }

    private static void loss(String path, double value) throws IOException {
        if (!(value >= 0)) { // +inf is a failed evaluation; NaN and negatives are not losses
            throw new IOException(path + " is " + value + ", not a loss (>= 0 or +inf)");
        }
    }

    private static void range(String path, long value, long min, long max) throws IOException {
        if (value < min || value > max) {
            throw new IOException(path + " is " + value + ", outside " + min + ".." + max);
        }
    }
}
