package io.pretrain4j.evaluation;

import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.ModelConfig;
import java.util.List;

/**
 * How every backend turns {@link CausalLanguageModel#windowLosses} into forward passes: each window
 * checked ({@link ModelConfig#checkWindow}), then consecutive windows of equal length batched up to
 * a token budget, the losses written back in input order. A window's loss does not depend on the
 * batch it lands in.
 */
public final class WindowBatches {
    private WindowBatches() {}

    /** Scores one batch of equal-length windows: one loss per window, in order. */
    @FunctionalInterface
    public interface BatchScorer {
        double[] score(List<int[]> batch);
    }

    /** The per-window losses of {@code windows}, scored batch by batch with {@code scorer}. */
    public static double[] losses(List<int[]> windows, ModelConfig config, int batchTokens, BatchScorer scorer) {
        for (int i = 0; i < windows.size(); i++) {
            config.checkWindow(windows.get(i), 2, "window " + i);
        }
        double[] losses = new double[windows.size()];
        int start = 0;
        while (start < windows.size()) {
            int length = windows.get(start).length;
            int perBatch = Math.max(1, batchTokens / length);
            int end = start + 1;
            while (end < windows.size() && end - start < perBatch && windows.get(end).length == length) {
                end++;
            }
            double[] batch = scorer.score(windows.subList(start, end));
            System.arraycopy(batch, 0, losses, start, end - start);
            start = end;
        }
        return losses;
    }
}
