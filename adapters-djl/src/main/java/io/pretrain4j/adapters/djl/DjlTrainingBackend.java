package io.pretrain4j.adapters.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import io.pretrain4j.adapters.djl.model.Weights;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.formats.config.ModelConfigReader;
import io.pretrain4j.formats.safetensors.SafetensorsModel;
import io.pretrain4j.formats.safetensors.SyntheticModels;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.inference.InferenceErrorCode;
import io.pretrain4j.ports.inference.ModelConfig;
import io.pretrain4j.ports.training.TrainableModel;
import io.pretrain4j.ports.training.TrainingBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Training backend {@code djl-pytorch}: GPT-2 and Llama-family models trained in fp32 with DJL's
 * PyTorch autograd (CPU, or a CUDA GPU with the CUDA natives).
 */
final class DjlTrainingBackend implements TrainingBackend {
    private static final System.Logger LOG = System.getLogger(DjlTrainingBackend.class.getName());
    /** DJL allows one gradient collector at a time per process. */
    private static final Object ENGINE_LOCK = new Object();

    private final Engine engine;
    private final Device device;

    DjlTrainingBackend(DjlConfig options) {
        if (!options.dtype().equals("fp32")) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG,
                    "djl-pytorch training runs in fp32 (mixed precision is not implemented); got dtype "
                            + options.dtype());
        }
        this.engine = DjlEngine.pytorch(options.threads());
        this.device = DjlEngine.device(engine, options.device());
    }

    @Override
    public String description() {
        return "djl-pytorch training (PyTorch " + engine.getVersion() + ", device " + device + ", fp32, "
                + JniUtils.getNumThreads() + " threads)";
    }

    @Override
    public TrainableModel create(ModelSpec spec) {
        Path temp;
        try {
            temp = Files.createTempDirectory("pretrain4j-init-");
        } catch (IOException e) {
            throw new Pretrain4jException(
                    InferenceErrorCode.MODEL_INVALID, "cannot create a temporary directory: " + e, e);
        }
        try {
            SyntheticModels.write(temp, spec);
            return load(temp);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public TrainableModel load(Path modelDirectory) {
        ModelConfig config = ModelConfigReader.read(modelDirectory);
        boolean llama = config.family() == ModelConfig.Family.LLAMA;
        if (config.slidingWindow() > 0
                || config.scaleByInverseLayer()
                || (llama
                        && (config.outputBias()
                                || config.mlpBias()
                                || config.headDim() * config.heads() != config.hidden()))) {
            throw new Pretrain4jException(
                    InferenceErrorCode.MODEL_UNSUPPORTED,
                    modelDirectory + ": training supports GPT-2 and Llama-family "
                            + "models without output or MLP biases, sliding windows, per-layer attention scaling or a separate head_dim");
        }
        String configJson;
        try {
            configJson = Files.readString(modelDirectory.resolve("config.json"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Pretrain4jException(
                    InferenceErrorCode.MODEL_INVALID, modelDirectory + ": cannot read config.json: " + e, e);
        }
        NDManager manager = NDManager.newBaseManager(device, engine.getEngineName());
        try (SafetensorsModel files = SafetensorsModel.open(modelDirectory);
                Weights weights = new Weights(files, manager, DataType.FLOAT32)) {
            String prefix = config.family() == ModelConfig.Family.GPT2
                    ? (weights.has("transformer.wte.weight") || !weights.has("wte.weight") ? "transformer." : "")
                    : "";
            Map<String, NDArray> parameters = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> entry : layout(config, prefix).entrySet()) {
                parameters.put(entry.getKey(), weights.load(entry.getKey(), entry.getValue()));
            }
            List<String> unused = new ArrayList<>(weights.unused());
            unused.removeIf(name -> name.endsWith("attn.bias")
                    || name.endsWith("attn.masked_bias")
                    || name.endsWith("rotary_emb.inv_freq")
                    || (config.tied() && name.equals("lm_head.weight")));
            if (!unused.isEmpty()) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "{0}: {1} tensor(s) are not trained and will not be saved, e.g. {2}",
                        modelDirectory,
                        unused.size(),
                        unused.get(0));
            }
            return new DjlTrainableModel(config, configJson, manager, parameters, prefix, ENGINE_LOCK);
        } catch (EngineException | OutOfMemoryError e) {
            manager.close();
            throw new Pretrain4jException(
                    InferenceErrorCode.BACKEND_FAILED, modelDirectory + ": PyTorch failed while loading: " + e, e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Parameter names and shapes in Hugging Face layout (GPT-2's Conv1D weights are {@code [in, out]}). */
    static Map<String, long[]> layout(ModelConfig c, String prefix) {
        Map<String, long[]> out = new LinkedHashMap<>();
        long d = c.hidden();
        long inner = c.intermediate();
        if (c.family() == ModelConfig.Family.GPT2) {
            out.put(prefix + "wte.weight", new long[] {c.vocabSize(), d});
            out.put(prefix + "wpe.weight", new long[] {c.maxPositions(), d});
            for (int i = 0; i < c.layers(); i++) {
                String b = prefix + "h." + i + ".";
                out.put(b + "ln_1.weight", new long[] {d});
                out.put(b + "ln_1.bias", new long[] {d});
                out.put(b + "attn.c_attn.weight", new long[] {d, 3 * d});
                out.put(b + "attn.c_attn.bias", new long[] {3 * d});
                out.put(b + "attn.c_proj.weight", new long[] {d, d});
                out.put(b + "attn.c_proj.bias", new long[] {d});
                out.put(b + "ln_2.weight", new long[] {d});
                out.put(b + "ln_2.bias", new long[] {d});
                out.put(b + "mlp.c_fc.weight", new long[] {d, inner});
                out.put(b + "mlp.c_fc.bias", new long[] {inner});
                out.put(b + "mlp.c_proj.weight", new long[] {inner, d});
                out.put(b + "mlp.c_proj.bias", new long[] {d});
            }
            out.put(prefix + "ln_f.weight", new long[] {d});
            out.put(prefix + "ln_f.bias", new long[] {d});
        } else {
            long q = (long) c.heads() * c.headDim();
            long kv = (long) c.kvHeads() * c.headDim();
            out.put("model.embed_tokens.weight", new long[] {c.vocabSize(), d});
            for (int i = 0; i < c.layers(); i++) {
                String b = "model.layers." + i + ".";
                out.put(b + "input_layernorm.weight", new long[] {d});
                for (String proj : List.of("q", "k", "v")) {
                    long rows = proj.equals("q") ? q : kv;
                    out.put(b + "self_attn." + proj + "_proj.weight", new long[] {rows, d});
                    if (c.qkvBias()) {
                        out.put(b + "self_attn." + proj + "_proj.bias", new long[] {rows});
                    }
                }
                out.put(b + "self_attn.o_proj.weight", new long[] {d, q});
                out.put(b + "post_attention_layernorm.weight", new long[] {d});
                out.put(b + "mlp.gate_proj.weight", new long[] {inner, d});
                out.put(b + "mlp.up_proj.weight", new long[] {inner, d});
                out.put(b + "mlp.down_proj.weight", new long[] {d, inner});
            }
            out.put("model.norm.weight", new long[] {d});
        }
        if (!c.tied()) {
            out.put("lm_head.weight", new long[] {c.vocabSize(), d});
        }
        return out;
    }

    @Override
    public void close() {
        // the engine is shared by the process; models own their memory
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete {0}: {1}", root, e.getMessage());
        }
    }
}
