package io.pretrain4j.adapters.onnx;

import static java.util.Objects.requireNonNull;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.pretrain4j.adapters.onnx.graph.TransformerGraph;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.formats.config.ModelConfigReader;
import io.pretrain4j.formats.safetensors.SafetensorsModel;
import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.inference.InferenceErrorCode;
import io.pretrain4j.ports.inference.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** ONNX Runtime with pretrain4j's graph builder: a session per loaded model, closed with it. */
final class OrtBackend implements InferenceBackend {
    private static final System.Logger LOG = System.getLogger(OrtBackend.class.getName());

    private final String device;
    private final int threads;
    private final int batchTokens;
    private final OrtEnvironment environment;
    private final Optional<Path> workDirectory;
    private final boolean useRepoOnnx;

    OrtBackend(String device, int threads, int batchTokens, Optional<Path> workDirectory, boolean useRepoOnnx) {
        this.useRepoOnnx = useRepoOnnx;
        this.device = requireNonNull(device, "device is null");
        this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
        this.threads = threads;
        this.batchTokens = batchTokens;
        this.environment = OrtEnvironment.getEnvironment();
        try {
            environment.setTelemetry(false);
        } catch (OrtException e) {
            LOG.log(System.Logger.Level.DEBUG, "ONNX Runtime telemetry switch: {0}", e.getMessage());
        }
    }

    @Override
    public String description() {
        return "onnx-runtime " + environment.getVersion() + " on " + device
                + (threads > 0 ? ", " + threads + " threads" : "");
    }

    @Override
    public CausalLanguageModel load(Path modelDirectory) {
        long started = System.nanoTime();
        ModelConfig config = ModelConfigReader.read(modelDirectory);
        Path exported = modelDirectory.resolve("model.onnx");
        if (useRepoOnnx && Files.isRegularFile(exported)) {
            return loadExported(exported, config, started);
        }
        Path work;
        try {
            // without a work-dir, the JDK's temporary directory
            work = workDirectory.isPresent()
                    ? Files.createTempDirectory(workDirectory.get(), "pretrain4j-onnx-")
                    : Files.createTempDirectory("pretrain4j-onnx-");
        } catch (IOException e) {
            throw new Pretrain4jException(
                    InferenceErrorCode.BACKEND_FAILED,
                    "cannot create a work directory in "
                            + workDirectory.map(Path::toString).orElse("the temporary directory") + ": " + e,
                    e);
        }
        try {
            return load(modelDirectory, config, work, started);
        } finally {
            deleteTree(work); // the session holds what it needs (an unlinked file stays readable while mapped)
        }
    }

    private CausalLanguageModel load(Path modelDirectory, ModelConfig config, Path work, long started) {
        TransformerGraph.Built built;
        try (SafetensorsModel files = SafetensorsModel.open(modelDirectory)) {
            built = TransformerGraph.build(config, files, work);
        }
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            options.setInterOpNumThreads(1);
            if (!device.equals("cpu")) {
                int id = device.contains(":") ? Integer.parseInt(device.substring(device.indexOf(':') + 1)) : 0;
                try {
                    options.addCUDA(id);
                } catch (OrtException | RuntimeException e) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "CUDA execution provider unavailable ({0}); running {1} on the CPU. "
                                    + "Build with -Ponnx-gpu for the CUDA jar and install CUDA 12 + cuDNN 9.",
                            e.getMessage(),
                            modelDirectory);
                }
            }
            OrtSession session = environment.createSession(built.model().toString(), options);
            LOG.log(
                    System.Logger.Level.INFO,
                    "loaded {0} ({1}, {2} parameters) into ONNX Runtime in {3} ms",
                    modelDirectory,
                    config.architecture(),
                    built.parameters(),
                    (System.nanoTime() - started) / 1_000_000);
            return new OrtCausalLanguageModel(
                    environment, session, options, config, built.parameters(), batchTokens, false);
        } catch (OrtException e) {
            options.close();
            throw new Pretrain4jException(
                    InferenceErrorCode.BACKEND_FAILED,
                    "ONNX Runtime could not create a session for " + modelDirectory + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * A repo's own exported {@code model.onnx} (operator opt-in: it is code-like input from a miner).
     * Its {@code logits} output is turned into losses in Java, with the same definition.
     */
    private CausalLanguageModel loadExported(Path model, ModelConfig config, long started) {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            OrtSession session = environment.createSession(model.toString(), options);
            if (!session.getInputNames().contains(TransformerGraph.INPUT)
                    || session.getOutputNames().isEmpty()) {
                session.close();
                options.close();
                throw new Pretrain4jException(
                        InferenceErrorCode.MODEL_INVALID,
                        model + " has no '" + TransformerGraph.INPUT + "' input (inputs: " + session.getInputNames()
                                + ")");
            }
            LOG.log(
                    System.Logger.Level.INFO,
                    "loaded the repo''s exported {0} into ONNX Runtime in {1} ms",
                    model,
                    (System.nanoTime() - started) / 1_000_000);
            return new OrtCausalLanguageModel(
                    environment, session, options, config, config.parameterCount(), batchTokens, true);
        } catch (OrtException e) {
            options.close();
            throw new Pretrain4jException(
                    InferenceErrorCode.MODEL_INVALID, "ONNX Runtime refused " + model + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "cannot delete the ONNX work directory {0}: {1}",
                    root,
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        // the environment is process-wide; sessions are closed with their models
    }
}
