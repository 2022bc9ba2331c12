package io.pretrain4j.domain.schedule;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.scoring.EpsilonSchedule;
import java.util.Map;
import java.util.Set;

/**
 * What a competition accepts (taoverse {@code ModelConstraints}).
 *
 * @param minParameters smallest parameter count allowed
 * @param maxParameters largest parameter count allowed
 * @param sequenceLength evaluation window length in tokens; 0 for competitions that are not text
 * @param allowedArchitectures exact architecture class names, e.g. {@code LlamaForCausalLM}
 * @param tokenizer the tokenizer's Hugging Face id
 * @param evalBlockDelay blocks a commit must age before it is downloaded or evaluated
 * @param epsilon the earlier upload's advantage
 * @param maxBytes largest repo size in bytes
 * @param modelKwargs the reference's {@code from_pretrained} keyword arguments, for information
 */
public record ModelConstraints(
        long minParameters,
        long maxParameters,
        int sequenceLength,
        Set<String> allowedArchitectures,
        String tokenizer,
        long evalBlockDelay,
        EpsilonSchedule epsilon,
        long maxBytes,
        Map<String, String> modelKwargs) {
    public ModelConstraints {
        allowedArchitectures = Set.copyOf(allowedArchitectures);
        requireNonNull(tokenizer, "tokenizer is null");
        requireNonNull(epsilon, "epsilon is null");
        modelKwargs = Map.copyOf(modelKwargs);
    }

    /** Whether {@code parameters} is within [min, max]. */
    public boolean allowsParameters(long parameters) {
        return parameters >= minParameters && parameters <= maxParameters;
    }
}
