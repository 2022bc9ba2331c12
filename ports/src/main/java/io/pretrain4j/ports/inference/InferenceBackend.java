package io.pretrain4j.ports.inference;

import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * Runs causal language models published as Hugging Face directories ({@code config.json} plus
 * safetensors) on one device. Implementations never unpickle anything.
 *
 * <p>A backend is created from configuration (device, precision, threads) by an
 * {@link InferenceBackendFactory}; it may hold native resources and must be closed.
 */
public interface InferenceBackend extends AutoCloseable {
    /** For logs: engine, version, device, precision, threads. */
    String description();

    /**
     * Loads the model in {@code modelDirectory}.
     *
     * @throws io.pretrain4j.domain.Pretrain4jException {@link InferenceErrorCode#MODEL_INVALID} or
     *     {@link InferenceErrorCode#MODEL_UNSUPPORTED} naming the file, tensor or key at fault
     */
    CausalLanguageModel load(Path modelDirectory);

    /**
     * The engine's dense fp32 matrix-multiply rate on this backend's device, measured now on square
     * matrices of {@code size}, in GFLOP/s: the ceiling benchmarks compare model throughput with.
     * Empty when the backend cannot measure it.
     */
    default OptionalDouble matmulGflops(int size) {
        return OptionalDouble.empty();
    }

    @Override
    void close();
}
