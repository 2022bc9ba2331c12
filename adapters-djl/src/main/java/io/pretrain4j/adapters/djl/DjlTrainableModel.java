package io.pretrain4j.adapters.djl;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.pretrain4j.adapters.djl.model.HostArrays;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.SafetensorsDType;
import io.pretrain4j.formats.safetensors.SafetensorsFile;
import io.pretrain4j.formats.safetensors.SafetensorsWriter;
import io.pretrain4j.formats.safetensors.TensorEntry;
import io.pretrain4j.ports.inference.InferenceErrorCode;
import io.pretrain4j.ports.inference.ModelConfig;
import io.pretrain4j.ports.training.TrainableModel;
import io.pretrain4j.toolkit.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A model trained with DJL's PyTorch autograd: fp32 parameters, AdamW moments beside them. */
final class DjlTrainableModel implements TrainableModel {
    private final ModelConfig config;
    private final String configJson;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private final TrainForward forward;
    private final Object engineLock;
    private long steps;
    private boolean closed;

    DjlTrainableModel(
            ModelConfig config,
            String configJson,
            NDManager manager,
            Map<String, NDArray> parameters,
            String gpt2Prefix,
            Object engineLock) {
        this.config = config;
        this.configJson = configJson;
        this.manager = manager;
        this.parameters = parameters;
        this.engineLock = engineLock;
        this.forward = new TrainForward(config, parameters, gpt2Prefix);
        for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
            entry.getValue().setRequiresGradient(true);
            firstMoments.put(entry.getKey(), manager.zeros(entry.getValue().getShape()));
            secondMoments.put(entry.getKey(), manager.zeros(entry.getValue().getShape()));
        }
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public long parameterCount() {
        return parameters.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    @Override
    public double accumulate(List<int[]> windows, double scale) {
        checkOpen();
        if (windows.isEmpty()) {
            throw new Pretrain4jException(InferenceErrorCode.INPUT_INVALID, "no windows to train on");
        }
        int length = windows.get(0).length;
        long[] flat = new long[windows.size() * length];
        for (int b = 0; b < windows.size(); b++) {
            int[] window = windows.get(b);
            if (window.length != length) {
                throw new Pretrain4jException(
                        InferenceErrorCode.INPUT_INVALID,
                        "training windows must have equal lengths; got " + length + " and " + window.length);
            }
            config.checkWindow(window, 2, "training window " + b);
            for (int t = 0; t < length; t++) {
                flat[b * length + t] = window[t];
            }
        }
        synchronized (engineLock) {
            try (NDManager scope = manager.newSubManager();
                    GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray ids = HostArrays.create(scope, flat, new Shape(windows.size(), length));
                NDArray loss = forward.loss(ids);
                double value = loss.getFloat();
                collector.backward(scale == 1.0 ? loss : loss.mul(scale));
                return value;
            } catch (EngineException e) {
                throw new Pretrain4jException(
                        InferenceErrorCode.BACKEND_FAILED,
                        "PyTorch failed on a training batch of " + windows.size() + " x " + length + " tokens: "
                                + e.getMessage(),
                        e);
            }
        }
    }

    @Override
    public double step(AdamW optimizer, double learningRate, double maxGradNorm) {
        checkOpen();
        synchronized (engineLock) {
            try (NDManager scope = manager.newSubManager()) {
                Map<String, NDArray> gradients = new LinkedHashMap<>();
                double squares = 0;
                for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
                    NDArray gradient = entry.getValue().getGradient();
                    gradient.attach(scope);
                    gradients.put(entry.getKey(), gradient);
                    squares += gradient.square().sum().getFloat();
                }
                double norm = Math.sqrt(squares);
                if (!Double.isFinite(norm)) {
                    gradients.values().forEach(g -> g.subi(g));
                    throw new Pretrain4jException(
                            InferenceErrorCode.BACKEND_FAILED,
                            "the gradient norm is " + norm
                                    + " (the loss diverged); the step was skipped; lower the learning rate");
                }
                double clip = maxGradNorm > 0 && norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1.0;
                long t = steps + 1;
                double correction1 = 1 - Math.pow(optimizer.beta1(), t);
                double correction2 = 1 - Math.pow(optimizer.beta2(), t);
                for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
                    String name = entry.getKey();
                    NDArray parameter = entry.getValue();
                    NDArray gradient = gradients.get(name);
                    NDArray g = clip == 1.0 ? gradient : gradient.mul(clip);
                    NDArray m = firstMoments.get(name);
                    NDArray v = secondMoments.get(name);
                    m.muli(optimizer.beta1()).addi(g.mul(1 - optimizer.beta1()));
                    v.muli(optimizer.beta2()).addi(g.square().muli(1 - optimizer.beta2()));
                    if (optimizer.weightDecay() > 0) {
                        parameter.muli(1 - learningRate * optimizer.weightDecay());
                    }
                    NDArray update = m.div(correction1)
                            .divi(v.div(correction2).sqrt().addi(optimizer.epsilon()))
                            .muli(learningRate);
                    parameter.subi(update);
                    gradient.subi(gradient);
                }
                steps = t;
                return norm;
            } catch (EngineException e) {
                throw new Pretrain4jException(
                        InferenceErrorCode.BACKEND_FAILED,
                        "PyTorch failed in the optimizer step: " + e.getMessage(),
                        e);
            }
        }
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void save(Path directory, SafetensorsDType dtype) {
        checkOpen();
        if (dtype != SafetensorsDType.F32 && dtype != SafetensorsDType.BF16) {
            throw new Pretrain4jException(
                    InferenceErrorCode.INPUT_INVALID, "models are saved as F32 or BF16, not " + dtype);
        }
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        synchronized (engineLock) {
            for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
                tensors.add(new SafetensorsWriter.Tensor(
                        entry.getKey(),
                        dtype,
                        entry.getValue().getShape().getShape(),
                        entry.getValue().toFloatArray()));
            }
        }
        String json = dtype == SafetensorsDType.BF16
                ? configJson.replaceAll("\"torch_dtype\"\\s*:\\s*\"[a-z0-9]+\"", "\"torch_dtype\": \"bfloat16\"")
                : configJson.replaceAll("\"torch_dtype\"\\s*:\\s*\"[a-z0-9]+\"", "\"torch_dtype\": \"float32\"");
        writeAtomically(directory, staging -> {
            Files.writeString(staging.resolve("config.json"), json, StandardCharsets.UTF_8);
            SafetensorsWriter.write(staging.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        });
    }

    @Override
    public void saveOptimizer(Path file) {
        checkOpen();
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        synchronized (engineLock) {
            for (String name : parameters.keySet()) {
                NDArray m = firstMoments.get(name);
                NDArray v = secondMoments.get(name);
                tensors.add(new SafetensorsWriter.Tensor(
                        "m." + name, SafetensorsDType.F32, m.getShape().getShape(), m.toFloatArray()));
                tensors.add(new SafetensorsWriter.Tensor(
                        "v." + name, SafetensorsDType.F32, v.getShape().getShape(), v.toFloatArray()));
            }
        }
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        SafetensorsWriter.write(temp, tensors, Map.of("steps", Long.toString(steps)));
        move(temp, file);
    }

    @Override
    public void loadOptimizer(Path file) {
        checkOpen();
        try (SafetensorsFile in = SafetensorsFile.open(file)) {
            String stepsText = in.header().metadata().get("steps");
            if (stepsText == null || !stepsText.matches("\\d{1,18}")) {
                throw new Pretrain4jException(
                        InferenceErrorCode.MODEL_INVALID, file + ": no step count in the metadata");
            }
            synchronized (engineLock) {
                for (String name : parameters.keySet()) {
                    for (String kind : List.of("m.", "v.")) {
                        TensorEntry entry = in.tensor(kind + name);
                        long[] expected = parameters.get(name).getShape().getShape();
                        if (entry.dtype() != SafetensorsDType.F32 || !Arrays.equals(entry.shape(), expected)) {
                            throw new Pretrain4jException(
                                    InferenceErrorCode.MODEL_INVALID,
                                    file + ": " + kind + name + " is " + entry.dtype() + " " + entry.shapeText()
                                            + ", this model needs F32 " + Arrays.toString(expected));
                        }
                        NDArray target = (kind.equals("m.") ? firstMoments : secondMoments).get(name);
                        NDArray loaded = HostArrays.create(manager, in.readFloats(entry), new Shape(expected));
                        target.subi(target).addi(loaded);
                        loaded.close();
                    }
                }
            }
            steps = Long.parseLong(stepsText);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }

    interface Writer {
        void write(Path staging) throws IOException;
    }

    /** Writes into a sibling staging directory, then renames it to {@code directory} (replacing an older one). */
    static void writeAtomically(Path directory, Writer writer) {
        Path absolute = directory.toAbsolutePath().normalize();
        Path staging = absolute.resolveSibling("." + absolute.getFileName() + ".partial");
        try {
            deleteTree(staging);
            Files.createDirectories(staging);
            writer.write(staging);
            if (Files.exists(absolute)) {
                Path old = absolute.resolveSibling("." + absolute.getFileName() + ".old");
                deleteTree(old);
                move(absolute, old);
                move(staging, absolute);
                deleteTree(old);
            } else {
                move(staging, absolute);
            }
        } catch (IOException e) {
            throw new Pretrain4jException(InferenceErrorCode.MODEL_INVALID, "cannot write " + absolute + ": " + e, e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            AtomicFiles.move(from, to);
        } catch (IOException e) {
            throw new Pretrain4jException(
                    InferenceErrorCode.MODEL_INVALID, "cannot move " + from + " to " + to + ": " + e, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
