package io.pretrain4j.ports.training;

import io.pretrain4j.domain.model.SafetensorsDType;
import io.pretrain4j.ports.inference.ModelConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * A model being trained. Gradients accumulate over {@link #accumulate} calls until {@link #step}
 * applies them (AdamW with decoupled weight decay, after clipping the global gradient norm) and
 * clears them. Not thread-safe.
 */
public interface TrainableModel extends AutoCloseable {
    /** The model's configuration. */
    ModelConfig config();

    /** Trainable parameters (tied embeddings counted once). */
    long parameterCount();

    /**
     * Forward and backward over windows of equal length, adding {@code scale} times the gradient of
     * the mean cross-entropy (the validator's loss: logits of positions 0..T-2 against tokens 1..T-1)
     * to the accumulated gradients. Returns the mean loss of these windows.
     */
    double accumulate(List<int[]> windows, double scale);

    /**
     * Clips the accumulated gradients to a global L2 norm of {@code maxGradNorm} (0: no clipping),
     * applies one AdamW step at {@code learningRate}, clears the gradients, and returns the norm
     * before clipping.
     */
    double step(AdamW optimizer, double learningRate, double maxGradNorm);

    /** Optimizer steps taken (restored with the optimizer state). */
    long steps();

    /** Writes {@code config.json} and {@code model.safetensors} (F32 or BF16) into a new directory, atomically. */
    void save(Path directory, SafetensorsDType dtype);

    /** Writes the optimizer's moments and step count (F32 safetensors) to {@code file}, atomically. */
    void saveOptimizer(Path file);

    /** Restores what {@link #saveOptimizer} wrote; fails naming the first tensor that does not fit this model. */
    void loadOptimizer(Path file);

    @Override
    void close();

    /**
     * AdamW hyper-parameters ({@code torch.optim.AdamW}: weight decay applied as {@code p -= lr * wd * p}).
     *
     * @param beta1 first-moment decay
     * @param beta2 second-moment decay
     * @param epsilon denominator guard
     * @param weightDecay decoupled weight decay (the reference miner uses 0.01); not applied to norms and biases
     */
    record AdamW(double beta1, double beta2, double epsilon, double weightDecay) {
        /** torch's defaults with the reference miner's weight decay of 0.01. */
        public static AdamW standard() {
            return new AdamW(0.9, 0.999, 1e-8, 0.01);
        }

        public AdamW {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("AdamW needs 0 <= betas < 1, epsilon > 0, weight decay >= 0; got "
                        + beta1 + ", " + beta2 + ", " + epsilon + ", " + weightDecay);
            }
        }
    }
}
