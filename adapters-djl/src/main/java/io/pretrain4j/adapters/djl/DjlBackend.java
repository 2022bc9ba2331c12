package io.pretrain4j.adapters.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.pretrain4j.adapters.djl.model.Gpt2;
import io.pretrain4j.adapters.djl.model.Llama;
import io.pretrain4j.adapters.djl.model.Transformer;
import io.pretrain4j.adapters.djl.model.Weights;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.formats.config.ModelConfigReader;
import io.pretrain4j.formats.safetensors.SafetensorsModel;
import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.inference.InferenceErrorCode;
import io.pretrain4j.ports.inference.ModelConfig;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/** The {@code djl-pytorch} backend: one device, one precision. */
final class DjlBackend implements InferenceBackend {
    private static final System.Logger LOG = System.getLogger(DjlBackend.class.getName());

    private final DjlConfig options;
    private final Engine engine;
    private final Device device;
    private final DataType computeType;

    DjlBackend(DjlConfig options) {
        this.options = options;
        this.engine = DjlEngine.pytorch(options.threads());
        this.device = DjlEngine.device(engine, options.device());
        this.computeType = switch (options.dtype()) {
            case "fp16" -> DataType.FLOAT16;
            case "bf16" -> DataType.BFLOAT16;
            default -> DataType.FLOAT32;
        };
    }

    @Override
    public String description() {
        return "djl-pytorch (PyTorch " + engine.getVersion() + ", device " + device + ", " + options.dtype() + ", "
                + JniUtils.getNumThreads() + " threads, " + options.effectiveBatchTokens() + " tokens per batch)";
    }

    @Override
    public CausalLanguageModel load(Path modelDirectory) {
        long start = System.nanoTime();
        ModelConfig config = ModelConfigReader.read(modelDirectory);
        NDManager manager = NDManager.newBaseManager(device, engine.getEngineName());
        try (SafetensorsModel files = SafetensorsModel.open(modelDirectory);
                Weights weights = new Weights(files, manager, computeType)) {
            Transformer transformer = switch (config.family()) {
                case GPT2 -> new Gpt2(config, manager, weights);
                case LLAMA -> new Llama(config, manager, weights);
            };
            List<String> unused = weights.unused();
            if (!unused.isEmpty()) {
                LOG.log(
                        Level.WARNING,
                        "{0}: {1} tensor(s) not used by {2}, e.g. {3}",
                        modelDirectory,
                        unused.size(),
                        config.architecture(),
                        String.join(", ", unused.subList(0, Math.min(3, unused.size()))));
            }
            LOG.log(
                    Level.INFO,
                    "loaded {0} ({1} parameters, {2} MB of weights) on {3} in {4} ms",
                    modelDirectory,
                    weights.loadedParameters(),
                    files.dataBytes() >> 20,
                    device,
                    (System.nanoTime() - start) / 1_000_000);
            return new DjlCausalLanguageModel(
                    transformer, config, weights.loadedParameters(), options.effectiveBatchTokens());
        } catch (Pretrain4jException e) {
            manager.close();
            throw e;
        } catch (EngineException | OutOfMemoryError e) {
            manager.close();
            throw new Pretrain4jException(
                    InferenceErrorCode.BACKEND_FAILED, modelDirectory + ": PyTorch failed while loading: " + e, e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public OptionalDouble matmulGflops(int size) {
        try (NDManager manager = NDManager.newBaseManager(device, engine.getEngineName())) {
            NDArray a = manager.randomUniform(-1, 1, new Shape(size, size), DataType.FLOAT32);
            NDArray b = manager.randomUniform(-1, 1, new Shape(size, size), DataType.FLOAT32);
            for (int i = 0; i < 3; i++) {
                a.matMul(b).close();
            }
            int iterations = 0;
            long start = System.nanoTime();
            long elapsed;
            do {
                NDArray c = a.matMul(b);
                c.getFloat(0, 0); // forces completion on asynchronous devices
                c.close();
                iterations++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < 2_000_000_000L || iterations < 5);
            return OptionalDouble.of(2.0 * size * size * size * iterations / (elapsed / 1e9) / 1e9);
        }
    }

    @Override
    public void close() {
        // models own their memory; the engine stays loaded for the life of the process
    }
}
