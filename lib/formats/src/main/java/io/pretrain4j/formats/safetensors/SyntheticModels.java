package io.pretrain4j.formats.safetensors;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.toolkit.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes Hugging Face-layout causal language models ({@code config.json} plus safetensors) with
 * seeded random weights from a {@link ModelSpec}: GPT-2 and the Llama family (Llama, Mistral, Qwen2).
 * A miner's fresh model starts here; benchmarks, demos and tests use it too. The same seed gives the
 * same bytes.
 */
public final class SyntheticModels {
    private SyntheticModels() {}

    /** The {@code config.json} text of {@code spec}. */
    public static String configJson(ModelSpec spec) {
        StringBuilder json = new StringBuilder("{\n");
        String separator = "";
        for (Map.Entry<String, Object> e : spec.configFields().entrySet()) {
            json.append(separator)
                    .append("  ")
                    .append(SafetensorsWriter.quote(e.getKey()))
                    .append(": ")
                    .append(jsonValue(e.getValue()));
            separator = ",\n";
        }
        return json.append("\n}\n").toString();
    }

    private static String jsonValue(Object value) {
        if (value instanceof String s) {
            return SafetensorsWriter.quote(s);
        }
        if (value instanceof List<?> list) {
            return "["
                    + String.join(
                            ", ", list.stream().map(SyntheticModels::jsonValue).toList()) + "]";
        }
        if (value instanceof Double d) {
            return String.format(Locale.ROOT, "%s", d);
        }
        return String.valueOf(value);
    }

    /** Writes the model into {@code directory} (created if needed) and returns it. */
    public static Path write(Path directory, ModelSpec spec) {
        try {
            AtomicFiles.writeString(directory.resolve("config.json"), configJson(spec));
        } catch (IOException e) {
            throw new Pretrain4jException(
                    DomainErrorCode.MODEL_FILES_UNREADABLE, "cannot write " + directory + ": " + e, e);
        }
        SplittableRandom random = new SplittableRandom(spec.seed());
        List<List<SafetensorsWriter.Tensor>> shards = new ArrayList<>();
        List<SafetensorsWriter.Tensor> current = new ArrayList<>();
        long currentBytes = 0;
        for (ModelSpec.Shape shape : spec.tensors()) {
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
                index.append(separator)
                        .append(SafetensorsWriter.quote(tensor.name()))
                        .append(": \"")
                        .append(file)
                        .append('"');
                separator = ", ";
            }
        }
        try {
            AtomicFiles.writeString(
                    directory.resolve(SafetensorsModel.INDEX_FILE),
                    index.append("}}\n").toString());
        } catch (IOException e) {
            throw new Pretrain4jException(
                    DomainErrorCode.MODEL_FILES_UNREADABLE, "cannot write index in " + directory + ": " + e, e);
        }
        return directory;
    }

    private static float[] values(ModelSpec.Shape shape, ModelSpec spec, SplittableRandom random) {
        long count = shape.cols() == 0 ? shape.rows() : shape.rows() * shape.cols();
        float[] values = new float[Math.toIntExact(count)];
        if (spec.std() == 0) {
            return values;
        }
        double halfWidth = spec.std() * Math.sqrt(3); // uniform with this standard deviation
        for (int i = 0; i < values.length; i++) {
            double u = (random.nextDouble() * 2 - 1) * halfWidth;
            values[i] = (float)
                    switch (shape.init()) {
                        case NORMAL -> u;
                        case ONE -> 1 + 5 * u;
                        case SMALL -> 0.5 * u;
                    };
        }
        return values;
    }
}
