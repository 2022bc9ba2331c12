package io.pretrain4j.adapters.djl.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.pretrain4j.adapters.djl.DjlBackendFactory;
import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.domain.model.SafetensorsDType;
import io.pretrain4j.formats.safetensors.SafetensorsModel;
import io.pretrain4j.formats.safetensors.SyntheticModels;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsTest {
    @Test
    void largeTensorsStagedInRowBlocksEqualOneShotLoadsAndTheFile(@TempDir Path dir) {
        new DjlBackendFactory().create(Map.of()).close(); // starts the engine offline
        ModelSpec spec = ModelSpec.gpt2(300, 32, 1, 2, 16)
                .withDtype(SafetensorsDType.BF16)
                .withStd(0.3);
        SyntheticModels.write(dir, spec);
        try (SafetensorsModel files = SafetensorsModel.open(dir);
                NDManager manager = NDManager.newBaseManager()) {
            // 1000 bytes of staging: the 300 x 32 embedding (38400 bytes as F32) goes in blocks of 7 rows
            Weights blocked = new Weights(files, manager, DataType.FLOAT32, 1000);
            Weights whole = new Weights(files, manager, DataType.FLOAT32);
            NDArray a = blocked.load("transformer.wte.weight", 300, 32);
            NDArray b = whole.load("transformer.wte.weight", 300, 32);
            assertThat(a.toFloatArray()).containsExactly(b.toFloatArray());
            float[] fromFile = new float[300 * 32];
            java.nio.ByteBuffer buffer =
                    java.nio.ByteBuffer.allocate(fromFile.length * 4).order(java.nio.ByteOrder.nativeOrder());
            files.readFloats("transformer.wte.weight", 0, fromFile.length, buffer);
            buffer.flip().asFloatBuffer().get(fromFile);
            assertThat(a.toFloatArray()).containsExactly(fromFile);
            // Conv1D weights come back transposed: [in, out] in the file, [out, in] in memory
            NDArray t = whole.loadTransposed("transformer.h.0.mlp.c_fc.weight", 32, 128);
            assertThat(t.getShape().getShape()).containsExactly(128, 32);
            float[] stored = new float[32 * 128];
            buffer = java.nio.ByteBuffer.allocate(stored.length * 4).order(java.nio.ByteOrder.nativeOrder());
            files.readFloats("transformer.h.0.mlp.c_fc.weight", 0, stored.length, buffer);
            buffer.flip().asFloatBuffer().get(stored);
            assertThat(t.getFloat(5, 3)).isEqualTo(stored[3 * 128 + 5]);
            assertThat(whole.unused()).contains("transformer.wpe.weight").doesNotContain("transformer.wte.weight");
        }
    }
}
