package io.pretrain4j.formats.config;

import static io.pretrain4j.ports.inference.ModelConfig.ACTIVATIONS;
import static io.pretrain4j.ports.inference.ModelConfig.CLASS_OF_MODEL_TYPE;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.formats.json.MiniJson;
import io.pretrain4j.formats.json.PythonJson;
import io.pretrain4j.ports.inference.InferenceErrorCode;
import io.pretrain4j.ports.inference.ModelConfig;
import io.pretrain4j.ports.inference.ModelConfig.Family;
import io.pretrain4j.ports.inference.Rope;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a Hugging Face {@code config.json} into a {@link ModelConfig}, validated before any weight
 * is read, as the reference validators read it: with Python's JSON rules ({@link PythonJson}:
 * {@code NaN}/{@code Infinity}, a repeated key's last value, {@code 1e999} as infinity), and the
 * model class chosen by {@code model_type} as {@code AutoModelForCausalLM} chooses it
 * ({@code architectures} is not read: transformers builds the class of the model type whatever it
 * lists, and a config saved by transformers 5 has none). The rope section is {@link RopeReader}'s.
 */
public final class ModelConfigReader {
    private ModelConfigReader() {}

    /** transformers reads config.json whole, with no limit; this bound only keeps a hostile file from filling memory. */
    private static final long MAX_CONFIG_BYTES = 64L << 20;

    /** Reads and validates {@code directory/config.json}. */
    public static ModelConfig read(Path directory) {
        Path file = directory.resolve("config.json");
        Object root;
        try {
            if (!Files.isRegularFile(file)) {
                throw invalid(file, "is missing");
            }
            if (Files.size(file) > MAX_CONFIG_BYTES) {
                throw invalid(file, "is larger than " + MAX_CONFIG_BYTES + " bytes");
            }
            root = PythonJson.parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (MiniJson.JsonSyntaxException e) {
            throw invalid(
                    file, "is not JSON that Python's json module reads (transformers refuses it): " + e.getMessage());
        } catch (IOException e) {
            throw new Pretrain4jException(InferenceErrorCode.MODEL_INVALID, file + ": cannot read: " + e, e);
        }
        if (!(root instanceof Map<?, ?> object)) {
            throw invalid(file, "must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) object;
        return parse(fields, file);
    }

    static ModelConfig parse(Map<String, Object> root, Path file) {
        Fields f = new Fields(root, file);
        Object type = root.get("model_type");
        if (!(type instanceof String modelType)) {
            throw invalid(
                    file,
                    "has no \"model_type\" string; transformers cannot tell which model to build (\"Unrecognized model\")");
        }
        String architecture = CLASS_OF_MODEL_TYPE.get(modelType);
        if (architecture == null) {
            throw new Pretrain4jException(
                    InferenceErrorCode.MODEL_UNSUPPORTED,
                    file + ": model_type " + abbreviate(modelType) + " is not supported (supported: "
                            + new TreeMap<>(CLASS_OF_MODEL_TYPE) + ")");
        }
        if (f.present("initializer_range")) {
            // transformers 5's strict config classes refuse it outside [0, 1] (NaN included) before building the model
            double range = root.get("initializer_range") instanceof BigInteger b
                    ? b.doubleValue()
                    : root.get("initializer_range") instanceof Double d ? d : Double.NaN;
            if (!(range >= 0 && range <= 1)) {
                throw invalid(
                        file,
                        "\"initializer_range\" must be a number in [0, 1] (transformers validates it), not "
                                + abbreviate(root.get("initializer_range")));
            }
        }
        return modelType.equals("gpt2") ? gpt2(f, architecture) : llama(f, architecture);
    }

    private static ModelConfig gpt2(Fields f, String architecture) {
        int hidden = f.positive("n_embd", 768, 1 << 16);
        int heads = f.positive("n_head", 12, 1024);
        if (hidden % heads != 0) {
            throw invalid(f.file, "n_embd " + hidden + " is not divisible by n_head " + heads);
        }
        int inner = f.present("n_inner") ? f.positive("n_inner", 0, 1 << 20) : 4 * hidden;
        int positions = f.present("n_positions")
                ? f.positive("n_positions", 1024, 1 << 20)
                : f.positive("n_ctx", 1024, 1 << 20);
        return new ModelConfig(
                architecture,
                Family.GPT2,
                f.positive("vocab_size", 50257, 1 << 24),
                hidden,
                f.positive("n_layer", 12, 1024),
                heads,
                heads,
                hidden / heads,
                inner,
                positions,
                f.positiveDouble("layer_norm_epsilon", 1e-5),
                f.activation("activation_function", "gelu_new"),
                f.bool("tie_word_embeddings", true),
                null,
                true,
                true,
                true,
                0,
                f.bool("scale_attn_by_inverse_layer_idx", false),
                f.eos());
    }

    private static ModelConfig llama(Fields f, String architecture) {
        boolean qwen = architecture.startsWith("Qwen2");
        boolean mistral = architecture.startsWith("Mistral");
        int hidden = f.positive("hidden_size", 4096, 1 << 16);
        int heads = f.positive("num_attention_heads", 32, 1024);
        int kvHeads = f.present("num_key_value_heads") ? f.positive("num_key_value_heads", heads, 1024) : heads;
        if (heads % kvHeads != 0) {
            throw invalid(
                    f.file, "num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        if (hidden % heads != 0) {
            // transformers 5 validates this whether or not head_dim is given (LlamaConfig.validate_architecture)
            throw invalid(f.file, "hidden_size " + hidden + " is not divisible by num_attention_heads " + heads);
        }
        int headDim = f.present("head_dim") ? f.positive("head_dim", 0, 1 << 12) : hidden / heads;
        if (headDim % 2 != 0) {
            throw invalid(f.file, "head dimension " + headDim + " must be even for rotary embeddings");
        }
        int positions = f.positive("max_position_embeddings", 2048, 1 << 24);
        boolean attentionBias = f.bool("attention_bias", false);
        int window = 0;
        if (mistral && f.present("sliding_window")) {
            window = f.positive("sliding_window", 4096, 1 << 24);
        } else if (qwen && f.bool("use_sliding_window", false) && f.present("sliding_window")) {
            window = f.positive("sliding_window", 4096, 1 << 24);
        }
        Rope rope = RopeReader.fromConfig(f.root, headDim, positions, f.file);
        return new ModelConfig(
                architecture,
                Family.LLAMA,
                f.positive("vocab_size", 32000, 1 << 24),
                hidden,
                f.positive("num_hidden_layers", 32, 1024),
                heads,
                kvHeads,
                headDim,
                f.positive("intermediate_size", 11008, 1 << 20),
                positions,
                f.positiveDouble("rms_norm_eps", 1e-6),
                f.activation("hidden_act", "silu"),
                f.bool("tie_word_embeddings", false),
                rope,
                qwen || attentionBias,
                attentionBias,
                f.bool("mlp_bias", false),
                window,
                false,
                f.eos());
    }

    static Pretrain4jException invalid(Path file, String reason) {
        return new Pretrain4jException(InferenceErrorCode.MODEL_INVALID, file + ": " + reason);
    }

    /** Typed, bounded reads of config keys with defaults. */
    private record Fields(Map<String, Object> root, Path file) {
        boolean present(String key) {
            Object value = root.get(key);
            return value != null && value != PythonJson.NULL;
        }

        int positive(String key, int fallback, int max) {
            if (!present(key)) {
                if (fallback <= 0) {
                    throw invalid(file, "needs \"" + key + "\"");
                }
                return fallback;
            }
            Object node = root.get(key);
            // a Python int: transformers 5 refuses a float (even 32.0) for an int field
            if (!(node instanceof BigInteger number)
                    || number.signum() <= 0
                    || number.compareTo(BigInteger.valueOf(max)) > 0) {
                throw invalid(file, "\"" + key + "\" must be an integer in 1.." + max + ", not " + abbreviate(node));
            }
            return number.intValue();
        }

        double positiveDouble(String key, double fallback) {
            if (!present(key)) {
                return fallback;
            }
            Object node = root.get(key);
            // Python reads 1e999 as inf, and transformers evaluates with it (a norm with eps = inf outputs zeros)
            double value = node instanceof BigInteger number
                    ? number.doubleValue()
                    : node instanceof Double d ? d : Double.NaN;
            if (!(value > 0)) {
                throw invalid(file, "\"" + key + "\" must be a positive number, not " + abbreviate(node));
            }
            return value;
        }

        boolean bool(String key, boolean fallback) {
            if (!present(key)) {
                return fallback;
            }
            Object node = root.get(key);
            if (!(node instanceof Boolean value)) {
                throw invalid(file, "\"" + key + "\" must be true or false, not " + abbreviate(node));
            }
            return value;
        }

        String activation(String key, String fallback) {
            Object node = root.get(key);
            String name = !present(key) ? fallback : String.valueOf(node).toLowerCase(Locale.ROOT);
            if (!ACTIVATIONS.contains(name)) {
                throw new Pretrain4jException(
                        InferenceErrorCode.MODEL_UNSUPPORTED,
                        file + ": \"" + key + "\" '" + abbreviate(node) + "' is not supported (supported: "
                                + String.join(", ", ACTIVATIONS) + ")");
            }
            return name;
        }

        int eos() {
            Object node = root.get("eos_token_id");
            if (node instanceof List<?> list && !list.isEmpty()) {
                node = list.get(0);
            }
            if (node instanceof BigInteger number
                    && number.signum() >= 0
                    && number.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) <= 0) {
                return number.intValue();
            }
            return -1;
        }
    }

    static String abbreviate(Object node) {
        String text = node instanceof String string ? "\"" + string + "\"" : String.valueOf(node);
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
