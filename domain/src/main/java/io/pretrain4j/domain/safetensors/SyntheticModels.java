package io.pretrain4j.domain.safetensors;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static java.util.Objects.requireNonNull;

/**
 * Writes Hugging Face-layout causal language models ({@code config.json} plus safetensors) with
 * seeded random weights: GPT-2 and the Llama family (Llama, Mistral, Qwen2). Benchmarks, demos and
 * tests use them; the same seed gives the same bytes.
 */
public final class SyntheticModels {
    private SyntheticModels() {}

    /** The architectures this class can write. */
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

    /**
     * What to write.
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
    public record Spec(Family family, int vocab, int hidden, int layers, int heads, int kvHeads, int intermediate,
            int maxPositions, boolean tied, SafetensorsDType dtype, double std, long seed, long maxShardBytes) {
        public Spec {
            requireNonNull(family, "family is null");
            requireNonNull(dtype, "dtype is null");
            if (hidden % heads != 0 || heads % kvHeads != 0 || (hidden / heads) % 2 != 0) {
                throw new IllegalArgumentException("hidden " + hidden + " / heads " + heads + " / kv heads " + kvHeads
                        + " do not divide into even head dimensions");
            }
        }

        /** A GPT-2 shaped spec (tied, F32, std 0.02). */
        public static Spec gpt2(int vocab, int hidden, int layers, int heads, int maxPositions) {
            return new Spec(Family.GPT2, vocab, hidden, layers, heads, heads, 4 * hidden, maxPositions, true,
                    SafetensorsDType.F32, 0.02, 1, 0);
        }

        /** A Llama shaped spec (untied, F32, std 0.02). */
        public static Spec llama(int vocab, int hidden, int layers, int heads, int kvHeads, int intermediate,
                int maxPositions) {
            return new Spec(Family.LLAMA, vocab, hidden, layers, heads, kvHeads, intermediate, maxPositions, false,
                    SafetensorsDType.F32, 0.02, 1, 0);
        }

        /** GPT-2 small: 124M parameters. */
        public static Spec gpt2Small() {
            return gpt2(50257, 768, 12, 12, 1024);
        }

        public Spec withFamily(Family value) {
            return new Spec(value, vocab, hidden, layers, heads, value == Family.GPT2 ? heads : kvHeads, intermediate,
                    maxPositions, tied, dtype, std, seed, maxShardBytes);
        }

        public Spec withTied(boolean value) {
            return new Spec(family, vocab, hidden, layers, heads, kvHeads, intermediate, maxPositions, value, dtype, std,
                    seed, maxShardBytes);
        }

        public Spec withDtype(SafetensorsDType value) {
            return new Spec(family, vocab, hidden, layers, heads, kvHeads, intermediate, maxPositions, tied, value, std,
                    seed, maxShardBytes);
        }

        public Spec withStd(double value) {
            return new Spec(family, vocab, hidden, layers, heads, kvHeads, intermediate, maxPositions, tied, dtype, value,
                    seed, maxShardBytes);
        }

        public Spec withSeed(long value) {
            return new Spec(family, vocab, hidden, layers, heads, kvHeads, intermediate, maxPositions, tied, dtype, std,
                    value, maxShardBytes);
        }

        public Spec withMaxShardBytes(long value) {
            return new Spec(family, vocab, hidden, layers, heads, kvHeads, intermediate, maxPositions, tied, dtype, std,
                    seed, value);
        }

        /** The parameter count (tied embeddings counted once). */
        public long parameterCount() {
            return tensors().stream().mapToLong(t -> t.shape().length == 1 ? t.shape()[0] : t.shape()[0] * t.shape()[1]).sum();
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

        /** The config.json text. */
        public String configJson() {
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
            c.put("torch_dtype", dtype == SafetensorsDType.BF16 ? "bfloat16" : dtype == SafetensorsDType.F16 ? "float16" : "float32");
            StringBuilder json = new StringBuilder("{\n");
            String separator = "";
            for (Map.Entry<String, Object> e : c.entrySet()) {
                json.append(separator).append("  ").append(SafetensorsWriter.quote(e.getKey())).append(": ").append(jsonValue(e.getValue()));
                separator = ",\n";
            }
            return json.append("\n}\n").toString();
        }

        private static String jsonValue(Object value) {
            if (value instanceof String s) {
                return SafetensorsWriter.quote(s);
            }
            if (value instanceof List<?> list) {
                return "[" + String.join(", ", list.stream().map(Spec::jsonValue).toList()) + "]";
            }
            if (value instanceof Double d) {
                return String.format(Locale.ROOT, "%s", d);
            }
            return String.valueOf(value);
        }
    }

    /** How a tensor is initialised. */
    public enum Init { NORMAL, ONE, SMALL }

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

    /** Writes the model into {@code directory} (created if needed) and returns it. */
    public static Path write(Path directory, Spec spec) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("config.json"), spec.configJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Pretrain4jException(DomainErrorCode.MODEL_FILES_UNREADABLE, "cannot write " + directory + ": " + e, e);
        }
        SplittableRandom random = new SplittableRandom(spec.seed());
        List<List<SafetensorsWriter.Tensor>> shards = new ArrayList<>();
        List<SafetensorsWriter.Tensor> current = new ArrayList<>();
        long currentBytes = 0;
        for (Shape shape : spec.tensors()) {
            float[] values = values(shape, spec, random);
            long bytes = (long) values.length * spec.dtype().bytes();
            if (spec.maxShardBytes() > 0 && !current.isEmpty() && currentBytes + bytes > spec.maxShardBytes()) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(new SafetensorsWriter.Tensor(shape.name(), spec.dtype(), shape.shape(), values));
            currentBytes += bytes;
        }
        shards.add(current);
        Map<String, String> metadata = Map.of("format", "pt");
        if (shards.size() == 1) {
            SafetensorsWriter.write(directory.resolve(SafetensorsModel.SINGLE_FILE), shards.get(0), metadata);
            return directory;
        }
        StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        String separator = "";
        for (int i = 0; i < shards.size(); i++) {
            String file = String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, shards.size());
            SafetensorsWriter.write(directory.resolve(file), shards.get(i), metadata);
            for (SafetensorsWriter.Tensor tensor : shards.get(i)) {
                index.append(separator).append(SafetensorsWriter.quote(tensor.name())).append(": \"").append(file).append('"');
                separator = ", ";
            }
        }
        try {
            Files.writeString(directory.resolve(SafetensorsModel.INDEX_FILE), index.append("}}\n").toString());
        } catch (IOException e) {
            throw new Pretrain4jException(DomainErrorCode.MODEL_FILES_UNREADABLE, "cannot write index in " + directory + ": " + e, e);
        }
        return directory;
    }

    private static float[] values(Shape shape, Spec spec, SplittableRandom random) {
        long count = shape.cols() == 0 ? shape.rows() : shape.rows() * shape.cols();
        float[] values = new float[Math.toIntExact(count)];
        if (spec.std() == 0) {
            return values;
        }
        double halfWidth = spec.std() * Math.sqrt(3); // uniform with this standard deviation
        for (int i = 0; i < values.length; i++) {
            double u = (random.nextDouble() * 2 - 1) * halfWidth;
            values[i] = (float) switch (shape.init()) {
                case NORMAL -> u;
                case ONE -> 1 + 5 * u;
                case SMALL -> 0.5 * u;
            };
        }
        return values;
    }
}
