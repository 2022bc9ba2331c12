package io.pretrain4j.formats.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.formats.json.MiniJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * One file per header rule, each accepted or refused exactly as the reference reader (Hugging Face's
 * Rust safetensors crate, through the {@code safetensors} Python package that Python validators run)
 * accepted or refused it: {@code golden/safetensors-rules.json}, made by
 * {@code lib/formats/src/test/python/safetensors_rules.py}. For a refusal the error kind must be the crate's.
 */
class SafetensorsRulesTest {
    @TempDir
    Path dir;

    @TestFactory
    List<DynamicTest> everyRuleAgreesWithTheRustReader() throws IOException {
        Map<?, ?> golden;
        try (InputStream in = SafetensorsRulesTest.class.getResourceAsStream("/golden/safetensors-rules.json")) {
            golden = (Map<?, ?>) MiniJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Object item : (List<?>) golden.get("cases")) {
            Map<?, ?> c = (Map<?, ?>) item;
            String name = (String) c.get("name");
            tests.add(DynamicTest.dynamicTest(
                    name + ": " + c.get("about") + " -> " + c.get("rust"), () -> check(name, c)));
        }
        assertThat(tests).hasSizeGreaterThan(90);
        return tests;
    }

    private void check(String name, Map<?, ?> c) throws IOException {
        Path file = dir.resolve(name + ".safetensors");
        if (c.get("file") instanceof String base64) {
            Files.write(file, Base64.getDecoder().decode(base64));
        } else {
            writePadded(file, ((BigDecimal) ((Map<?, ?>) c.get("padded")).get("headerLength")).intValueExact());
        }
        String rust = (String) c.get("rust");
        if (rust.equals("ok")) {
            try (SafetensorsFile opened = SafetensorsFile.open(file)) {
                Map<String, List<Long>> shapes = new LinkedHashMap<>();
                opened.header().tensors().forEach((tensor, entry) -> {
                    List<Long> dims = new ArrayList<>();
                    for (long d : entry.shape()) {
                        dims.add(d);
                    }
                    shapes.put(tensor, dims);
                });
                Map<String, List<Long>> expected = new LinkedHashMap<>();
                ((Map<?, ?>) c.get("tensors")).forEach((k, v) -> {
                    List<Long> dims = new ArrayList<>();
                    for (Object d : (List<?>) v) {
                        dims.add(
                                new BigDecimal(d.toString()).toBigIntegerExact().longValue());
                    }
                    expected.put((String) k, dims);
                });
                assertThat(shapes).isEqualTo(expected);
                Object metadata = c.get("metadata");
                assertThat(opened.header().metadata()).isEqualTo(metadata instanceof Map<?, ?> m ? m : Map.of());
            }
        } else {
            assertThatThrownBy(() -> SafetensorsFile.open(file).close())
                    .as("the Rust reader refused it: " + c.get("message"))
                    .isInstanceOf(Pretrain4jException.class)
                    .hasMessageContaining("[" + rust + "]");
        }
    }

    /** The recipe of the two 100 MB headers: a small header padded with spaces to {@code length} bytes, then 4 data bytes. */
    private static void writePadded(Path file, int length) throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(length)
                    .array());
            out.write(json.getBytes(StandardCharsets.US_ASCII));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            long left = length - json.length();
            while (left > 0) {
                int n = (int) Math.min(left, spaces.length);
                out.write(spaces, 0, n);
                left -= n;
            }
            out.write(new byte[4]);
        }
    }
}
