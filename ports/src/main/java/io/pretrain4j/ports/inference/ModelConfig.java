package io.pretrain4j.ports.inference;

import io.pretrain4j.domain.Pretrain4jException;
import java.util.List;
import java.util.Map;

/**
 * The parts of a Hugging Face {@code config.json} a forward pass needs, with the defaults of the
 * corresponding transformers config classes, validated before any weight is read. Shared by every
 * inference backend, so they read a repo's config the same way: {@code lib/formats}'
 * {@code ModelConfigReader} reads it as the reference validators do (Python's JSON rules, the model
 * class chosen by {@code model_type} as {@code AutoModelForCausalLM} chooses it).
 *
 * @param architecture the class transformers builds for the config's {@code model_type}, which the
 *     competition's architecture constraint applies to
 * @param family GPT-2 or the Llama family
 * @param vocabSize vocabulary size
 * @param hidden model width
 * @param layers number of blocks
 * @param heads attention heads
 * @param kvHeads key/value heads
 * @param headDim per-head width
 * @param intermediate MLP width
 * @param maxPositions position limit
 * @param normEps LayerNorm or RMSNorm epsilon
 * @param activation MLP activation name
 * @param tied whether the output projection is the input embedding
 * @param rope rotary embedding frequencies (Llama family; null for GPT-2)
 * @param qkvBias whether q/k/v projections have biases
 * @param outputBias whether the attention output projection has a bias
 * @param mlpBias whether MLP projections have biases (Llama {@code mlp_bias})
 * @param slidingWindow attention window, or 0 for full causal attention
 * @param scaleByInverseLayer GPT-2 {@code scale_attn_by_inverse_layer_idx}
 * @param eosTokenId end-of-sequence id or -1
 */
public record ModelConfig(
        String architecture,
        Family family,
        int vocabSize,
        int hidden,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int intermediate,
        int maxPositions,
        double normEps,
        String activation,
        boolean tied,
        Rope rope,
        boolean qkvBias,
        boolean outputBias,
        boolean mlpBias,
        int slidingWindow,
        boolean scaleByInverseLayer,
        int eosTokenId) {

    /** Forward-pass families. */
    public enum Family {
        GPT2,
        LLAMA
    }

    /** Activations we implement, by config name. */
    public static final List<String> ACTIVATIONS =
            List.of("gelu_new", "gelu_pytorch_tanh", "gelu_fast", "gelu", "relu", "silu", "swish");

    /**
     * The model types supported, and the class {@code AutoModelForCausalLM} builds for each. Transformers
     * has more; a model of another type is refused as unsupported (a Python validator could evaluate it).
     */
    public static final Map<String, String> CLASS_OF_MODEL_TYPE = Map.of(
            "gpt2",
            "GPT2LMHeadModel",
            "llama",
            "LlamaForCausalLM",
            "mistral",
            "MistralForCausalLM",
            "qwen2",
            "Qwen2ForCausalLM");

    /** Parameter count implied by the shapes (tied embeddings once). */
    public long parameterCount() {
        long d = hidden;
        long embeddings = (long) vocabSize * d;
        long perLayer;
        if (family == Family.GPT2) {
            perLayer =
                    2 * 2 * d + d * 3 * d + 3 * d + d * d + d + d * intermediate + intermediate + intermediate * d + d;
            return embeddings + (long) maxPositions * d + layers * perLayer + 2 * d + (tied ? 0 : embeddings);
        }
        long q = (long) heads * headDim;
        long kv = (long) kvHeads * headDim;
        perLayer = 2 * d
                + d * q
                + 2 * d * kv
                + q * d
                + (qkvBias ? q + 2 * kv : 0)
                + (outputBias ? d : 0)
                + 3 * d * intermediate
                + (mlpBias ? 2L * intermediate + d : 0);
        return embeddings + layers * perLayer + d + (tied ? 0 : embeddings);
    }

    /**
     * The longest window the model can run: GPT-2's learned position embeddings end at
     * {@code n_positions} (transformers fails past it); rotary models run any length, as transformers
     * runs them ({@code max_position_embeddings} does not refuse a window there).
     */
    public int positionLimit() {
        return family == Family.GPT2 ? maxPositions : Integer.MAX_VALUE;
    }

    /**
     * Checks a token window before any backend runs it: at least {@code minLength} tokens, at most
     * the position limit, every id inside the vocabulary ({@link InferenceErrorCode#INPUT_INVALID}).
     */
    public void checkWindow(int[] window, int minLength, String what) {
        if (window.length < minLength) {
            throw new Pretrain4jException(
                    InferenceErrorCode.INPUT_INVALID,
                    what + " has " + window.length + " tokens; at least " + minLength + " needed");
        }
        if (window.length > positionLimit()) {
            throw new Pretrain4jException(
                    InferenceErrorCode.INPUT_INVALID,
                    what + " has " + window.length + " tokens; the model takes at most " + maxPositions
                            + " (n_positions: GPT-2's position embeddings end there)");
        }
        for (int t = 0; t < window.length; t++) {
            if (window[t] < 0 || window[t] >= vocabSize) {
                throw new Pretrain4jException(
                        InferenceErrorCode.INPUT_INVALID,
                        what + " token " + t + " is id " + window[t] + ", outside the vocabulary [0, " + vocabSize
                                + ")");
            }
        }
    }
}
