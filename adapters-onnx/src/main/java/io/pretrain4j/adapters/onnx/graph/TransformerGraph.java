package io.pretrain4j.adapters.onnx.graph;

import io.pretrain4j.adapters.onnx.graph.OnnxGraph.Attribute;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.formats.safetensors.SafetensorsModel;
import io.pretrain4j.ports.inference.InferenceErrorCode;
import io.pretrain4j.ports.inference.ModelConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The forward pass of a GPT-2 or Llama-family model as an ONNX graph, the same math as the DJL
 * backend: input {@code input_ids} (int64 {@code [batch, seq]}); outputs {@code losses} (float
 * {@code [batch]}: the mean next-token cross-entropy of each window, logits shifted by one) and
 * {@code last_logits} (float {@code [batch, vocab]}, for greedy decoding). Standard opset-20
 * operators only; the causal mask, positions and rotary tables are computed in the graph from the
 * sequence length, so one graph serves every length.
 */
public final class TransformerGraph {
    /** Graph input and outputs. */
    public static final String INPUT = "input_ids";

    public static final String LOSSES = "losses";
    public static final String LAST_LOGITS = "last_logits";
    /** The output of an exported model ({@code [batch, seq, vocab]}), as transformers exports name it. */
    public static final String LOGITS = "logits";

    /** The external data file the weights are written to, beside the model file. */
    public static final String WEIGHTS_FILE = "weights.bin";

    private final ModelConfig c;
    private final SafetensorsModel files;
    private final OnnxGraph g = new OnnxGraph();
    private final ExternalWeights out;
    private final boolean exportLogits;
    private String shapeBS;
    private String positions;
    private String allowed;
    private String cos;
    private String sin;

    private TransformerGraph(ModelConfig config, SafetensorsModel files, FileChannel weights, boolean exportLogits) {
        this.c = config;
        this.files = files;
        this.out = new ExternalWeights(files, weights, g, WEIGHTS_FILE);
        this.exportLogits = exportLogits;
    }

    /**
     * Builds the graph with the weights of {@code files}, checked against the config's shapes and
     * widened to F32, streamed into {@code directory/}{@value #WEIGHTS_FILE} as the model's external
     * data (so the model proto stays small and has no 2 GiB limit); the model goes to
     * {@code directory/model.onnx}.
     */
    public static Built build(ModelConfig config, SafetensorsModel files, Path directory) {
        return build(config, files, directory, false);
    }

    /** As {@link #build(ModelConfig, SafetensorsModel, Path)}, also exposing the full {@value #LOGITS} output when asked. */
    public static Built build(ModelConfig config, SafetensorsModel files, Path directory, boolean exportLogits) {
        try (FileChannel channel = FileChannel.open(
                directory.resolve(WEIGHTS_FILE), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            TransformerGraph builder = new TransformerGraph(config, files, channel, exportLogits);
            builder.forward();
            Path model = directory.resolve("model.onnx");
            Files.write(model, builder.g.toModelBytes());
            return new Built(model, builder.out.parameters(), builder.g.initializerBytes());
        } catch (IOException e) {
            throw new Pretrain4jException(
                    InferenceErrorCode.BACKEND_FAILED, "cannot write the ONNX model into " + directory + ": " + e, e);
        }
    }

    /**
     * A built model.
     *
     * @param model the model file (its weights beside it)
     * @param parameters parameters read (tied embeddings once)
     * @param weightBytes bytes of weights
     */
    public record Built(Path model, long parameters, long weightBytes) {}

    private void forward() {
        g.input(INPUT, OnnxGraph.INT64, "batch", "sequence");
        shapeBS = g.op("Shape", List.of(INPUT));
        String seqLen = g.op("Gather", List.of(shapeBS, g.scalarInt(1)), Attribute.of("axis", 0L));
        positions = g.op("Range", List.of(g.scalarInt(0), seqLen, g.scalarInt(1)));
        String rows = g.op("Unsqueeze", List.of(positions, g.ints(1)));
        String cols = g.op("Unsqueeze", List.of(positions, g.ints(0)));
        allowed = g.op("LessOrEqual", List.of(cols, rows));
        if (c.slidingWindow() > 0) {
            String inWindow =
                    g.op("Greater", List.of(cols, g.op("Sub", List.of(rows, g.scalarInt(c.slidingWindow())))));
            allowed = g.op("And", List.of(allowed, inWindow));
        }
        if (c.family() == ModelConfig.Family.GPT2) {
            gpt2();
        } else {
            llama();
        }
    }

    // ---- GPT-2

    private void gpt2() {
        String p = files.contains("transformer.wte.weight") || !files.contains("wte.weight") ? "transformer." : "";
        long d = c.hidden();
        String wte = weight(p + "wte.weight", c.vocabSize(), d);
        String wpe = weight(p + "wpe.weight", c.maxPositions(), d);
        String h = g.op("Add", List.of(g.op("Gather", List.of(wte, INPUT)), g.op("Gather", List.of(wpe, positions))));
        for (int i = 0; i < c.layers(); i++) {
            String b = p + "h." + i + ".";
            String a = layerNorm(h, weight(b + "ln_1.weight", d), weight(b + "ln_1.bias", d));
            String qkv = g.op(
                    "Add",
                    List.of(
                            g.op("MatMul", List.of(a, weight(b + "attn.c_attn.weight", d, 3 * d))),
                            weight(b + "attn.c_attn.bias", 3 * d)));
            List<String> parts = g.ops("Split", List.of(qkv, g.ints(d, d, d)), 3, Attribute.of("axis", -1L));
            double scale = 1.0 / Math.sqrt(c.headDim());
            if (c.scaleByInverseLayer()) {
                scale /= i + 1;
            }
            String context = attention(
                    heads(parts.get(0), c.heads()),
                    heads(parts.get(1), c.heads()),
                    heads(parts.get(2), c.heads()),
                    scale);
            h = g.op(
                    "Add",
                    List.of(
                            h,
                            g.op(
                                    "Add",
                                    List.of(
                                            g.op("MatMul", List.of(context, weight(b + "attn.c_proj.weight", d, d))),
                                            weight(b + "attn.c_proj.bias", d)))));
            String m = layerNorm(h, weight(b + "ln_2.weight", d), weight(b + "ln_2.bias", d));
            String f = activation(g.op(
                    "Add",
                    List.of(
                            g.op("MatMul", List.of(m, weight(b + "mlp.c_fc.weight", d, c.intermediate()))),
                            weight(b + "mlp.c_fc.bias", c.intermediate()))));
            h = g.op(
                    "Add",
                    List.of(
                            h,
                            g.op(
                                    "Add",
                                    List.of(
                                            g.op(
                                                    "MatMul",
                                                    List.of(f, weight(b + "mlp.c_proj.weight", c.intermediate(), d))),
                                            weight(b + "mlp.c_proj.bias", d)))));
        }
        h = layerNorm(h, weight(p + "ln_f.weight", d), weight(p + "ln_f.bias", d));
        logits(h, wte);
    }

    private String layerNorm(String x, String weight, String bias) {
        return g.op(
                "LayerNormalization",
                List.of(x, weight, bias),
                Attribute.of("axis", -1L),
                Attribute.of("epsilon", (float) c.normEps()));
    }

    // ---- Llama family

    private void llama() {
        long d = c.hidden();
        long q = (long) c.heads() * c.headDim();
        long kv = (long) c.kvHeads() * c.headDim();
        long inner = c.intermediate();
        String embedding = weight("model.embed_tokens.weight", c.vocabSize(), d);
        rotaryTables();
        String h = g.op("Gather", List.of(embedding, INPUT));
        for (int i = 0; i < c.layers(); i++) {
            String b = "model.layers." + i + ".";
            String a = b + "self_attn.";
            String m = b + "mlp.";
            String x = rmsNorm(h, weight(b + "input_layernorm.weight", d));
            String qs = rope(heads(linear(x, a + "q_proj", q, d, c.qkvBias()), c.heads()));
            String ks = rope(heads(linear(x, a + "k_proj", kv, d, c.qkvBias()), c.kvHeads()));
            String vs = heads(linear(x, a + "v_proj", kv, d, c.qkvBias()), c.kvHeads());
            String context = attention(qs, ks, vs, 1.0 / Math.sqrt(c.headDim()));
            h = g.op("Add", List.of(h, linear(context, a + "o_proj", d, q, c.outputBias())));
            String n = rmsNorm(h, weight(b + "post_attention_layernorm.weight", d));
            String gated = g.op(
                    "Mul",
                    List.of(
                            activation(linear(n, m + "gate_proj", inner, d, c.mlpBias())),
                            linear(n, m + "up_proj", inner, d, c.mlpBias())));
            h = g.op("Add", List.of(h, linear(gated, m + "down_proj", d, inner, c.mlpBias())));
        }
        h = rmsNorm(h, weight("model.norm.weight", d));
        logits(h, embedding);
    }

    /** {@code x W^T + b} for a linear layer stored {@code [out, in]}: the weight is transposed once, here. */
    private String linear(String x, String name, long out, long in, boolean bias) {
        String w = transposedWeight(name + ".weight", out, in);
        String y = g.op("MatMul", List.of(x, w));
        return bias ? g.op("Add", List.of(y, weight(name + ".bias", out))) : y;
    }

    private String rmsNorm(String x, String weight) {
        String variance =
                g.op("ReduceMean", List.of(g.op("Mul", List.of(x, x)), g.ints(-1)), Attribute.of("keepdims", 1L));
        String normalized = g.op("Div", List.of(x, g.op("Sqrt", List.of(g.op("Add", List.of(variance, g.scalar((float)
                c.normEps())))))));
        return g.op("Mul", List.of(normalized, weight));
    }

    private void rotaryTables() {
        if (c.rope().lengthDependent()) {
            throw new Pretrain4jException(
                    InferenceErrorCode.MODEL_UNSUPPORTED,
                    "rope type " + c.rope().type() + " changes its "
                            + "frequencies with the window's length, which the onnx-runtime graph does not follow; "
                            + "evaluate it with djl-pytorch");
        }
        double[] inverse = c.rope().inverseFrequencies();
        float[] inv = new float[inverse.length];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = (float) inverse[i];
        }
        String invFreq = g.weight(g.fresh("inv_freq"), inv, inv.length);
        String t = g.op(
                "Unsqueeze",
                List.of(g.op("Cast", List.of(positions), Attribute.of("to", (long) OnnxGraph.FLOAT)), g.ints(1)));
        String freqs = g.op("Mul", List.of(t, invFreq));
        String emb = g.op("Concat", List.of(freqs, freqs), Attribute.of("axis", -1L));
        cos = g.op("Cos", List.of(emb));
        sin = g.op("Sin", List.of(emb));
        if (c.rope().attentionFactor() != 1.0) {
            String factor = g.scalar((float) c.rope().attentionFactor());
            cos = g.op("Mul", List.of(cos, factor));
            sin = g.op("Mul", List.of(sin, factor));
        }
    }

    /** {@code x * cos + rotate_half(x) * sin}, x {@code [B, H, S, hd]}. */
    private String rope(String x) {
        long half = c.headDim() / 2;
        List<String> halves = g.ops("Split", List.of(x, g.ints(half, half)), 2, Attribute.of("axis", -1L));
        String rotated =
                g.op("Concat", List.of(g.op("Neg", List.of(halves.get(1))), halves.get(0)), Attribute.of("axis", -1L));
        return g.op("Add", List.of(g.op("Mul", List.of(x, cos)), g.op("Mul", List.of(rotated, sin))));
    }

    // ---- shared

    /** {@code [B, S, H*hd] -> [B, H, S, hd]}. */
    private String heads(String x, int count) {
        String split = g.op("Reshape", List.of(x, g.ints(0, 0, count, c.headDim())));
        return g.op("Transpose", List.of(split), Attribute.ints("perm", 0, 2, 1, 3));
    }

    /**
     * Causal (optionally windowed) attention. Grouped-query attention folds the query heads sharing a
     * key/value head into the sequence axis, so keys and values are never repeated.
     */
    private String attention(String q, String k, String v, double scale) {
        int groups = c.heads() / c.kvHeads();
        String kT = g.op("Transpose", List.of(k), Attribute.ints("perm", 0, 1, 3, 2));
        String query = groups == 1 ? q : g.op("Reshape", List.of(q, g.ints(0, c.kvHeads(), -1, c.headDim())));
        String scores = g.op("MatMul", List.of(query, kT));
        if (groups > 1) {
            scores = g.op("Reshape", List.of(scores, g.ints(0, c.heads(), -1, 0)));
        }
        scores = g.op("Mul", List.of(scores, g.scalar((float) scale)));
        String masked = g.op("Where", List.of(allowed, scores, g.scalar(-Float.MAX_VALUE)));
        String probs = g.op("Softmax", List.of(masked), Attribute.of("axis", -1L));
        if (groups > 1) {
            probs = g.op("Reshape", List.of(probs, g.ints(0, c.kvHeads(), -1, 0)));
        }
        String context = g.op("MatMul", List.of(probs, v));
        if (groups > 1) {
            context = g.op("Reshape", List.of(context, g.ints(0, c.heads(), -1, c.headDim())));
        }
        String merged = g.op("Transpose", List.of(context), Attribute.ints("perm", 0, 2, 1, 3));
        return g.op("Reshape", List.of(merged, g.ints(0, 0, (long) c.heads() * c.headDim())));
    }

    private String activation(String x) {
        return switch (c.activation()) {
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" ->
                g.op("Gelu", List.of(x), Attribute.of("approximate", "tanh"));
            case "gelu" -> g.op("Gelu", List.of(x));
            case "relu" -> g.op("Relu", List.of(x));
            case "silu", "swish" -> g.op("Mul", List.of(x, g.op("Sigmoid", List.of(x))));
            default ->
                throw new Pretrain4jException(InferenceErrorCode.MODEL_UNSUPPORTED, "activation " + c.activation());
        };
    }

    /** Logits through the output projection (the embedding when tied), then the losses and the last position's logits. */
    private void logits(String h, String embedding) {
        String output;
        if (c.tied()) {
            output = embedding;
        } else {
            output = weight("lm_head.weight", c.vocabSize(), c.hidden());
        }
        String flat = g.op("Reshape", List.of(h, g.ints(-1, c.hidden())));
        String logits2d = g.op("Gemm", List.of(flat, output), Attribute.of("transB", 1L));
        String shape = g.op("Concat", List.of(shapeBS, g.ints(c.vocabSize())), Attribute.of("axis", 0L));
        String logits = g.op("Reshape", List.of(logits2d, shape));
        String shifted = g.op("Slice", List.of(logits, g.ints(0), g.ints(-1), g.ints(1)));
        String logp = g.op("LogSoftmax", List.of(shifted), Attribute.of("axis", -1L));
        String targets = g.op("Slice", List.of(INPUT, g.ints(1), g.ints(Long.MAX_VALUE), g.ints(1)));
        String picked = g.op(
                "GatherElements",
                List.of(logp, g.op("Unsqueeze", List.of(targets, g.ints(-1)))),
                Attribute.of("axis", -1L));
        String mean = g.op("ReduceMean", List.of(picked, g.ints(1, 2)), Attribute.of("keepdims", 0L));
        g.name(g.op("Neg", List.of(mean)), LOSSES);
        String last = g.op(
                "Sub",
                List.of(g.op("Gather", List.of(shapeBS, g.scalarInt(1)), Attribute.of("axis", 0L)), g.scalarInt(1)));
        g.name(g.op("Gather", List.of(logits, last), Attribute.of("axis", 1L)), LAST_LOGITS);
        if (exportLogits) {
            g.name(logits, LOGITS);
            g.output(LOGITS, OnnxGraph.FLOAT, "batch", "sequence", Integer.toString(c.vocabSize()));
        }
        g.output(LOSSES, OnnxGraph.FLOAT, "batch");
        g.output(LAST_LOGITS, OnnxGraph.FLOAT, "batch", Integer.toString(c.vocabSize()));
    }

    // ---- weights (streamed into the external data file by ExternalWeights)

    private String weight(String name, long... shape) {
        return out.weight(name, shape);
    }

    private String transposedWeight(String name, long rows, long cols) {
        return out.transposedWeight(name, rows, cols);
    }
}
