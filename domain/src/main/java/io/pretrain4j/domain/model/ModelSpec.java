package io.pretrain4j.domain.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A causal language model's architecture and initialisation, as a miner starts training from it or a
 * benchmark, demo or test writes it: the tensors each family's checkpoint holds ({@link #tensors()}) and
 * the fields of its {@code config.json} ({@link #configFields()}). {@code lib/formats}' {@code SyntheticModels} writes it.
 *
 * @param family the architecture
 * @param vocab vocabulary size
 * @param hidden model width
 * @param layers number of blocks
 * @param heads attention heads
 * @param kvHeads key/value heads (Llama family; equal to heads for GPT-2)
 * @param intermediate MLP width
 * @param maxPositions context length
 * @param tied whether the output projection is the input embedding
 * @param dtype stored weight type
 * @param std scale of the random weights (0 writes all-zero weights, norms included)
 * @param seed random seed
 * @param maxShardBytes above 0, split the weights into shards of about this size with an index
 */
public record ModelSpec(
        Family family,
        int vocab,
        int hidden,
        int layers,
        int heads,
        int kvHeads,
        int intermediate,
        int maxPositions,
        boolean tied,
        SafetensorsDType dtype,
        double std,
        long seed,
        long maxShardBytes) {
    public ModelSpec {
        requireNonNull(family, "family is null");
        requireNonNull(dtype, "dtype is null");
        if (hidden % heads != 0 || heads % kvHeads != 0 || (hidden / heads) % 2 != 0) {
            throw new IllegalArgumentException("hidden " + hidden + " / heads " + heads + " / kv heads " + kvHeads
                    + " do not divide into even head dimensions");
        }
    }

    /** A GPT-2 shaped spec (tied, F32, std 0.02). */
    public static ModelSpec gpt2(int vocab, int hidden, int layers, int heads, int maxPositions) {
        return new ModelSpec(
                Family.GPT2,
                vocab,
                hidden,
                layers,
                heads,
                heads,
                4 * hidden,
                maxPositions,
                true,
                SafetensorsDType.F32,
                0.02,
                1,
                0);
    }

    /** A Llama shaped spec (untied, F32, std 0.02). */
    public static ModelSpec llama(
            int vocab, int hidden, int layers, int heads, int kvHeads, int intermediate, int maxPositions) {
        return new ModelSpec(
                Family.LLAMA,
                vocab,
                hidden,
                layers,
                heads,
                kvHeads,
                intermediate,
                maxPositions,
                false,
                SafetensorsDType.F32,
                0.02,
                1,
                0);
    }

    /** GPT-2 small: 124M parameters. */
    public static ModelSpec gpt2Small() {
        return gpt2(50257, 768, 12, 12, 1024);
    }

    public ModelSpec withFamily(Family value) {
        return new ModelSpec(
                value,
                vocab,
                hidden,
                layers,
                heads,
                value == Family.GPT2 ? heads : kvHeads,
                intermediate,
                maxPositions,
                tied,
                dtype,
                std,
                seed,
                maxShardBytes);
    }

    public ModelSpec withTied(boolean value) {
        return new ModelSpec(
                family,
                vocab,
                hidden,
                layers,
                heads,
                kvHeads,
                intermediate,
                maxPositions,
                value,
                dtype,
                std,
                seed,
                maxShardBytes);
    }

    public ModelSpec withDtype(SafetensorsDType value) {
        return new ModelSpec(
                family,
                vocab,
                hidden,
                layers,
                heads,
                kvHeads,
                intermediate,
                maxPositions,
                tied,
                value,
                std,
                seed,
                maxShardBytes);
    }

    public ModelSpec withStd(double value) {
        return new ModelSpec(
                family,
                vocab,
                hidden,
                layers,
                heads,
                kvHeads,
                intermediate,
                maxPositions,
                tied,
                dtype,
                value,
                seed,
                maxShardBytes);
    }

    public ModelSpec withSeed(long value) {
        return new ModelSpec(
                family,
                vocab,
                hidden,
                layers,
                heads,
                kvHeads,
                intermediate,
                maxPositions,
                tied,
                dtype,
                std,
                value,
                maxShardBytes);
    }

    public ModelSpec withMaxShardBytes(long value) {
        return new ModelSpec(
                family,
                vocab,
                hidden,
                layers,
                heads,
                kvHeads,
                intermediate,
                maxPositions,
                tied,
                dtype,
                std,
                seed,
                value);
    }

    /** The parameter count (tied embeddings counted once). */
    public long parameterCount() {
        return tensors().stream()
                .mapToLong(t -> t.shape().length == 1 ? t.shape()[0] : t.shape()[0] * t.shape()[1])
                .sum();
    }

    /** Names and shapes of the tensors this spec writes, in write order. */
    public List<Shape> tensors() {
        List<Shape> out = new ArrayList<>();
        int head = hidden / heads;
        if (family == Family.GPT2) {
            out.add(new Shape("transformer.wte.weight", vocab, hidden, Init.NORMAL));
            out.add(new Shape("transformer.wpe.weight", maxPositions, hidden, Init.NORMAL));
            for (int i = 0; i < layers; i++) {
                String p = "transformer.h." + i + ".";
                out.add(new Shape(p + "ln_1.weight", hidden, 0, Init.ONE));
                out.add(new Shape(p + "ln_1.bias", hidden, 0, Init.SMALL));
                out.add(new Shape(p + "attn.c_attn.weight", hidden, 3 * hidden, Init.NORMAL));
                out.add(new Shape(p + "attn.c_attn.bias", 3 * hidden, 0, Init.SMALL));
                out.add(new Shape(p + "attn.c_proj.weight", hidden, hidden, Init.NORMAL));
                out.add(new Shape(p + "attn.c_proj.bias", hidden, 0, Init.SMALL));
                out.add(new Shape(p + "ln_2.weight", hidden, 0, Init.ONE));
                out.add(new Shape(p + "ln_2.bias", hidden, 0, Init.SMALL));
                out.add(new Shape(p + "mlp.c_fc.weight", hidden, intermediate, Init.NORMAL));
                out.add(new Shape(p + "mlp.c_fc.bias", intermediate, 0, Init.SMALL));
                out.add(new Shape(p + "mlp.c_proj.weight", intermediate, hidden, Init.NORMAL));
                out.add(new Shape(p + "mlp.c_proj.bias", hidden, 0, Init.SMALL));
            }
            out.add(new Shape("transformer.ln_f.weight", hidden, 0, Init.ONE));
            out.add(new Shape("transformer.ln_f.bias", hidden, 0, Init.SMALL));
        } else {
            out.add(new Shape("model.embed_tokens.weight", vocab, hidden, Init.NORMAL));
            for (int i = 0; i < layers; i++) {
                String p = "model.layers." + i + ".";
                out.add(new Shape(p + "input_layernorm.weight", hidden, 0, Init.ONE));
                for (String proj : List.of("q", "k", "v")) {
                    int rows = (proj.equals("q") ? heads : kvHeads) * head;
                    out.add(new Shape(p + "self_attn." + proj + "_proj.weight", rows, hidden, Init.NORMAL));
                    if (family == Family.QWEN2) {
                        out.add(new Shape(p + "self_attn." + proj + "_proj.bias", rows, 0, Init.SMALL));
                    }
                }
                out.add(new Shape(p + "self_attn.o_proj.weight", hidden, heads * head, Init.NORMAL));
                out.add(new Shape(p + "post_attention_layernorm.weight", hidden, 0, Init.ONE));
                out.add(new Shape(p + "mlp.gate_proj.weight", intermediate, hidden, Init.NORMAL));
                out.add(new Shape(p + "mlp.up_proj.weight", intermediate, hidden, Init.NORMAL));
                out.add(new Shape(p + "mlp.down_proj.weight", hidden, intermediate, Init.NORMAL));
            }
            out.add(new Shape("model.norm.weight", hidden, 0, Init.ONE));
        }
        if (!tied) {
            out.add(new Shape("lm_head.weight", vocab, hidden, Init.NORMAL));
        }
        return out;
    }

    /** What {@code config.json} holds for this spec, in file order (values: strings, numbers, booleans, lists). */
    public Map<String, Object> configFields() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of(family.architecture));
        c.put("model_type", family.modelType);
        c.put("vocab_size", vocab);
        if (family == Family.GPT2) {
            c.put("n_embd", hidden);
            c.put("n_layer", layers);
            c.put("n_head", heads);
            c.put("n_positions", maxPositions);
            c.put("n_inner", intermediate);
            c.put("activation_function", "gelu_new");
            c.put("layer_norm_epsilon", 1e-5);
        } else {
            c.put("hidden_size", hidden);
            c.put("intermediate_size", intermediate);
            c.put("num_hidden_layers", layers);
            c.put("num_attention_heads", heads);
            c.put("num_key_value_heads", kvHeads);
            c.put("max_position_embeddings", maxPositions);
            c.put("rms_norm_eps", 1e-6);
            c.put("rope_theta", 10000.0);
            c.put("hidden_act", "silu");
        }
        c.put("tie_word_embeddings", tied);
        c.put("bos_token_id", 0);
        c.put("eos_token_id", vocab - 1);
        c.put(
                "torch_dtype",
                dtype == SafetensorsDType.BF16 ? "bfloat16" : dtype == SafetensorsDType.F16 ? "float16" : "float32");
        return c;
    }

    /** The architectures a spec describes (and {@code SyntheticModels} writes). */
    public enum Family {
        GPT2("GPT2LMHeadModel", "gpt2"),
        LLAMA("LlamaForCausalLM", "llama"),
        MISTRAL("MistralForCausalLM", "mistral"),
        QWEN2("Qwen2ForCausalLM", "qwen2");

        private final String architecture;
        private final String modelType;

        Family(String architecture, String modelType) {
            this.architecture = architecture;
            this.modelType = modelType;
        }

        /** The {@code architectures[0]} of config.json. */
        public String architecture() {
            return architecture;
        }
    }

    /** How a tensor is initialised. */
    public enum Init {
        NORMAL,
        ONE,
        SMALL
    }

    /**
     * One tensor's name and shape ({@code cols == 0} for a vector).
     *
     * @param name tensor name
     * @param rows first dimension
     * @param cols second dimension, or 0 for a vector
     * @param init initialisation
     */
    public record Shape(String name, long rows, long cols, Init init) {
        public long[] shape() {
            return cols == 0 ? new long[] {rows} : new long[] {rows, cols};
        }
    }
}
