package io.pretrain4j.ports.inference;

import io.pretrain4j.ports.NamedFactory;

/**
 * Creates an {@link InferenceBackend}; the validator picks one by name ({@code inference.backend}).
 * Common configuration keys: {@code device} ({@code cpu}, {@code gpu}, {@code gpu:N}),
 * {@code dtype} ({@code fp32}, {@code fp16}, {@code bf16}), {@code threads} (0 = engine default),
 * {@code batch-tokens} (tokens per forward pass when windows are batched).
 */
public interface InferenceBackendFactory extends NamedFactory<InferenceBackend> {}
