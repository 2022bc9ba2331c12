package io.pretrain4j.formats.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.domain.model.SafetensorsDType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
    @TempDir
    Path dir;

    /** A file made of an 8-byte length, the header text and {@code dataBytes} zero bytes. */
    private Path raw(String header, long declaredLength, int dataBytes) throws IOException {
        byte[] text = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + text.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(declaredLength).put(text);
        Path file = dir.resolve("m-" + System.nanoTime() + ".safetensors");
        Files.write(file, buffer.array());
        return file;
    }

    private Path raw(String header, int dataBytes) throws IOException {
        return raw(header, header.getBytes(StandardCharsets.UTF_8).length, dataBytes);
    }

    private static void assertInvalid(Path file, String... fragments) {
        assertThatThrownBy(() -> SafetensorsFile.open(file).close())
                .isInstanceOfSatisfying(Pretrain4jException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(DomainErrorCode.INVALID_SAFETENSORS);
                    assertThat(e.getMessage()).contains(file.toString());
                    for (String fragment : fragments) {
                        assertThat(e.getMessage()).contains(fragment);
                    }
                });
    }

    @Test
    void roundTripsF32F16AndBf16WithMetadata() {
        float[] values = {0f, 1f, -2.5f, 3.140625f, 65504f, 1e-3f};
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(
                file,
                List.of(
                        new SafetensorsWriter.Tensor("a.f32", SafetensorsDType.F32, new long[] {2, 3}, values),
                        new SafetensorsWriter.Tensor("b.f16", SafetensorsDType.F16, new long[] {6}, values),
                        new SafetensorsWriter.Tensor("c.bf16", SafetensorsDType.BF16, new long[] {3, 2}, values)),
                Map.of("format", "pt"));
        try (SafetensorsFile opened = SafetensorsFile.open(file)) {
            assertThat(opened.header().metadata()).containsEntry("format", "pt");
            assertThat(opened.header().tensors().keySet()).containsExactly("a.f32", "b.f16", "c.bf16");
            assertThat(opened.tensor("a.f32").shape()).containsExactly(2, 3);
            assertThat(opened.readFloats(opened.tensor("a.f32"))).containsExactly(values);
            float[] half = opened.readFloats(opened.tensor("b.f16"));
            for (int i = 0; i < values.length; i++) {
                assertThat(half[i]).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(values[i])));
            }
            float[] brain = opened.readFloats(opened.tensor("c.bf16"));
            assertThat(brain[3]).isEqualTo(3.140625f); // exactly representable in bf16
            assertThat(brain[1]).isEqualTo(1f);
            assertThat(brain[5]).isCloseTo(1e-3f, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void bf16RoundsToNearestEvenLikePytorch() {
        // 1 + 2^-8 lies exactly between two bf16 values: ties go to the even one (1.0)
        assertThat(SafetensorsWriter.fromBf16(SafetensorsWriter.toBf16(1f + 0x1p-8f)))
                .isEqualTo(1f);
        assertThat(SafetensorsWriter.fromBf16(SafetensorsWriter.toBf16(1f + 0x1p-7f + 0x1p-8f)))
                .isEqualTo(1f + 0x1p-6f);
        assertThat(Float.isNaN(SafetensorsWriter.fromBf16(SafetensorsWriter.toBf16(Float.NaN))))
                .isTrue();
    }

    @Test
    void refusesTruncatedFiles() throws IOException {
        Path file = raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 10);
        assertInvalid(file, "tensors need 16 data bytes but the file holds 10", "truncated");
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertInvalid(tiny, "too short");
    }

    @Test
    void refusesAHugeHeaderLengthWithoutAllocating() throws IOException {
        assertInvalid(raw("{}", 1L << 62, 0), "header length 4611686018427387904 exceeds the limit");
        assertInvalid(raw("{}", -1L, 0), "header length 18446744073709551615 exceeds the limit");
        assertInvalid(raw("{}", 5000, 0), "runs past the end of the file");
    }

    @Test
    void refusesOverlapsGapsAndLeftovers() throws IOException {
        assertInvalid(
                raw(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                        12),
                "tensor 'b' at offset 4 overlaps",
                "[InvalidOffset]");
        assertInvalid(
                raw(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
                        12),
                "leaves a gap",
                "[InvalidOffset]");
        assertInvalid(
                raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 9),
                "5 bytes not covered",
                "[MetadataIncompleteBuffer]");
    }

    @Test
    void namesTheRuleAndTheReferenceErrorKind() throws IOException {
        assertInvalid(
                raw("{\"w\":{\"dtype\":\"BF16\",\"shape\":[3,3],\"data_offsets\":[0,36]}}", 36),
                "tensor 'w' is BF16[3, 3] = 18 bytes but its data_offsets span 36 bytes [TensorInvalidInfo]");
        assertInvalid(
                raw("{\"w\":{\"dtype\":\"F8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1),
                "unknown variant `F8`",
                "[InvalidHeaderDeserialization]");
        assertInvalid(
                raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4),
                "shape[0]: invalid value: integer `-1`");
        assertInvalid(raw("[".repeat(500) + "]".repeat(500), 0), "not a JSON object");
    }

    @Test
    void readsTensorsBeyondTwoGibibytes() throws IOException {
        // a sparse 3 GiB file: one F32 tensor whose tail lies past 2^31 bytes
        long elements = 3L * 1024 * 1024 * 1024 / 4;
        String header =
                "{\"big\":{\"dtype\":\"F32\",\"shape\":[" + elements + "],\"data_offsets\":[0," + elements * 4 + "]}}";
        byte[] text = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("big.safetensors");
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            ByteBuffer prefix =
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(text.length);
            out.write(prefix.array());
            out.write(text);
            out.setLength(8 + text.length + elements * 4);
            out.seek(8 + text.length + (elements - 1) * 4);
            out.write(ByteBuffer.allocate(4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putFloat(42.5f)
                    .array());
        }
        try (SafetensorsFile opened = SafetensorsFile.open(file)) {
            TensorEntry big = opened.tensor("big");
            ByteBuffer out = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            opened.readFloats(big, elements - 4, 4, out);
            out.flip();
            assertThat(out.getFloat(12)).isEqualTo(42.5f);
            assertThat(out.getFloat(0)).isEqualTo(0f);
        }
    }

    @Test
    void shardedModelsAreCheckedAgainstTheirIndex() throws IOException {
        ModelSpec spec = ModelSpec.gpt2(64, 16, 2, 2, 8).withMaxShardBytes(8_000);
        Path model = SyntheticModels.write(dir.resolve("sharded"), spec);
        try (SafetensorsModel opened = SafetensorsModel.open(model)) {
            assertThat(opened.tensors().keySet())
                    .containsExactlyInAnyOrderElementsOf(
                            spec.tensors().stream().map(ModelSpec.Shape::name).toList());
            assertThat(opened.dataBytes()).isEqualTo(spec.parameterCount() * 4);
        }
        Path index = model.resolve(SafetensorsModel.INDEX_FILE);
        String original = Files.readString(index);
        Files.writeString(
                index, original.replaceFirst("model-00001-of-\\d+\\.safetensors", "../../etc/passwd.safetensors"));
        assertThatThrownBy(() -> SafetensorsModel.open(model))
                .hasMessageContaining("must be a plain *.safetensors file name");
        Files.writeString(index, original.replace("\"transformer.wte.weight\": ", "\"transformer.renamed\": "));
        assertThatThrownBy(() -> SafetensorsModel.open(model)).hasMessageContaining("the index does not list it");
        Files.writeString(index, "{\"weight_map\": {}}");
        assertThatThrownBy(() -> SafetensorsModel.open(model)).hasMessageContaining("non-empty weight_map");
    }

    @Test
    void pickledCheckpointsAreNeverLoaded() throws IOException {
        Path model = Files.createDirectories(dir.resolve("pickled"));
        Files.write(model.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        assertThatThrownBy(() -> SafetensorsModel.open(model))
                .hasMessageContaining("found pytorch_model.bin; pickled weights are never loaded");
    }
}
