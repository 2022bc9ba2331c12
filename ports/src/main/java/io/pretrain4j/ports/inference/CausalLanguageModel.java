package io.pretrain4j.ports.inference;

import java.util.List;

/**
 * A loaded causal language model. Holds native memory until {@link #close()}; not thread-safe.
 */
public interface CausalLanguageModel extends AutoCloseable {
    /** The architecture as config.json names it, e.g. {@code LlamaForCausalLM}. */
    String architecture();

    /** Number of parameters (tied embeddings counted once). */
    long parameterCount();

    /** Vocabulary size: token ids must lie in {@code [0, vocabSize)}. */
    int vocabSize();

    /** The longest window the model accepts (its position limit). */
    int maxSequenceLength();

    /** The end-of-sequence token id from config.json, or -1 when it names none. */
    int eosTokenId();

    /**
     * Mean next-token cross-entropy of each window (natural log, logits shifted by one, no ignored
     * positions), computed without gradients. The result has one entry per window, in order;
     * a window whose loss is not finite yields NaN or infinity rather than an exception.
     *
     * @throws io.pretrain4j.domain.Pretrain4jException {@link InferenceErrorCode#INPUT_INVALID} when a
     *     window is shorter than 2 tokens, longer than {@link #maxSequenceLength()}, or holds a token
     *     id outside the vocabulary
     */
    double[] windowLosses(List<int[]> windows);

    /**
     * Greedy decoding: appends {@code newTokens} argmax tokens to {@code prompt}, never choosing
     * {@code suppressedToken} (pass -1 to allow every token), and returns only the new tokens.
     */
    int[] generateGreedy(int[] prompt, int newTokens, int suppressedToken);

    @Override
    void close();
}
