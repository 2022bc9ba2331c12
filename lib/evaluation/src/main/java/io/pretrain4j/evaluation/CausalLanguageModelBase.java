package io.pretrain4j.evaluation;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.ModelConfig;
import java.util.List;

/**
 * The part of a loaded causal language model that does not depend on the engine: its shape (from
 * {@code config.json}), per-window losses computed batch by batch up to a token budget
 * ({@link WindowBatches}: windows of equal length together, in order), and closing exactly once. An
 * engine supplies {@link #batchLosses} (the mean shifted cross-entropy of each window of one batch),
 * greedy generation, and {@link #release} of its native resources.
 */
public abstract class CausalLanguageModelBase implements CausalLanguageModel {
    private final ModelConfig config;
    private final long parameters;
    private final int batchTokens;
    private boolean closed;

    protected CausalLanguageModelBase(ModelConfig config, long parameters, int batchTokens) {
        this.config = requireNonNull(config, "config is null");
        this.parameters = parameters;
        this.batchTokens = batchTokens;
    }

    /** The model's config.json, as read. */
    protected final ModelConfig config() {
        return config;
    }

    @Override
    public final String architecture() {
        return config.architecture();
    }

    @Override
    public final long parameterCount() {
        return parameters;
    }

    @Override
    public final int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public final int maxSequenceLength() {
        return config.maxPositions();
    }

    @Override
    public final int eosTokenId() {
        return config.eosTokenId();
    }

    @Override
    public final double[] windowLosses(List<int[]> windows) {
        checkOpen();
        return WindowBatches.losses(windows, config, batchTokens, this::batchLosses);
    }

    /** The mean shifted cross-entropy of each window of {@code batch} (windows of one length, at most the token budget). */
    protected abstract double[] batchLosses(List<int[]> batch);

    /** Fails when the model was closed: every use but closing checks it first. */
    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the model is closed");
        }
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Frees the engine's resources; called once, by the first {@link #close}. */
    protected abstract void release();
}
