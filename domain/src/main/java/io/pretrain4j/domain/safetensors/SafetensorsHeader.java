package io.pretrain4j.domain.safetensors;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.json.MiniJson;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The validated header of a safetensors file: tensor entries and free-form metadata.
 *
 * <p>Validation is strict, as a validator must be with files miners wrote: the header is UTF-8
 * JSON of bounded length, names are unique, every dtype is known, {@code shape x dtype} equals the
 * byte length, and the tensors tile the data section exactly (no gap, no overlap, nothing past its
 * end, nothing left over). Every violation is a {@link Pretrain4jException} with code
 * {@link DomainErrorCode#INVALID_SAFETENSORS} naming the file, the tensor and the rule.
 */
public final class SafetensorsHeader {
    /** The largest header we read: 100 MiB, as the reference Rust implementation. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final String METADATA_KEY = "__metadata__";

    private final Map<String, TensorEntry> tensors;
    private final Map<String, String> metadata;

    private SafetensorsHeader(Map<String, TensorEntry> tensors, Map<String, String> metadata) {
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** Tensors by name, in file order (by offset). */
    public Map<String, TensorEntry> tensors() {
        return tensors;
    }

    /** The {@code __metadata__} map, empty when absent. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Checks the 8-byte length prefix of a file of {@code fileSize} bytes.
     *
     * @return the header length
     */
    public static long checkedHeaderLength(long declared, long fileSize, String source) {
        if (declared < 0 || declared > MAX_HEADER_BYTES) {
            throw invalid(source, "header length " + Long.toUnsignedString(declared) + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        if (declared > fileSize - 8) {
            throw invalid(source, "header length " + declared + " runs past the end of the file (" + fileSize
                    + " bytes): the file is truncated or not safetensors");
        }
        if (declared < 2) {
            throw invalid(source, "header length " + declared + " is too short for a JSON object");
        }
        return declared;
    }

    /**
     * Parses and validates a header.
     *
     * @param header the header bytes (after the 8-byte length)
     * @param dataLength length of the data section that follows the header
     * @param source the file, for error messages
     */
    public static SafetensorsHeader parse(byte[] header, long dataLength, String source) {
        requireNonNull(header, "header is null");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(header)).toString();
        } catch (CharacterCodingException e) {
            throw invalid(source, "header is not valid UTF-8");
        }
        Object root;
        try {
            root = MiniJson.parse(text);
        } catch (MiniJson.JsonSyntaxException e) {
            throw invalid(source, "header is not well-formed JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> object)) {
            throw invalid(source, "header must be a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorEntry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> field : object.entrySet()) {
            String name = (String) field.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata.putAll(metadata(field.getValue(), source));
            } else {
                entries.add(entry(name, field.getValue(), source));
            }
        }
        entries.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long expected = 0;
        TensorEntry previous = null;
        Map<String, TensorEntry> byName = new LinkedHashMap<>();
        for (TensorEntry entry : entries) {
            if (entry.begin() != expected) {
                String what = entry.begin() < expected
                        ? "overlaps " + previous.name() + " (which ends at " + expected + ")"
                        : "leaves a gap after " + (previous == null ? "the header" : previous.name())
                                + " (bytes " + expected + ".." + entry.begin() + ")";
                throw invalid(source, "tensor '" + entry.name() + "' at offset " + entry.begin() + " " + what);
            }
            expected = entry.end();
            previous = entry;
            byName.put(entry.name(), entry);
        }
        if (expected != dataLength) {
            throw invalid(source, expected > dataLength
                    ? "tensors need " + expected + " data bytes but the file holds " + dataLength + " (truncated?)"
                    : "data section has " + (dataLength - expected) + " bytes not covered by any tensor");
        }
        return new SafetensorsHeader(byName, metadata);
    }

    private static Map<String, String> metadata(Object value, String source) {
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid(source, "__metadata__ must be an object of strings");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String string)) {
                throw invalid(source, "__metadata__." + e.getKey() + " must be a string");
            }
            result.put((String) e.getKey(), string);
        }
        return result;
    }

    private static TensorEntry entry(String name, Object value, String source) {
        if (name.isEmpty()) {
            throw invalid(source, "a tensor has an empty name");
        }
        if (!(value instanceof Map<?, ?> fields)) {
            throw invalid(source, "tensor '" + name + "' must be an object with dtype, shape and data_offsets");
        }
        for (Object key : fields.keySet()) {
            if (!List.of("dtype", "shape", "data_offsets").contains(key)) {
                throw invalid(source, "tensor '" + name + "' has an unknown field '" + key + "'");
            }
        }
        if (!(fields.get("dtype") instanceof String dtypeName)) {
            throw invalid(source, "tensor '" + name + "' has no dtype string");
        }
        SafetensorsDType dtype = SafetensorsDType.fromHeaderName(dtypeName)
                .orElseThrow(() -> invalid(source, "tensor '" + name + "' has unknown dtype '" + dtypeName + "'"));
        if (!(fields.get("shape") instanceof List<?> shapeList)) {
            throw invalid(source, "tensor '" + name + "' has no shape array");
        }
        if (shapeList.size() > 8) {
            throw invalid(source, "tensor '" + name + "' has " + shapeList.size() + " dimensions (at most 8)");
        }
        long[] shape = new long[shapeList.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(shapeList.get(i), source, "tensor '" + name + "' shape[" + i + "]");
        }
        if (!(fields.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2) {
            throw invalid(source, "tensor '" + name + "' needs data_offsets [begin, end]");
        }
        long begin = nonNegativeLong(offsets.get(0), source, "tensor '" + name + "' data_offsets[0]");
        long end = nonNegativeLong(offsets.get(1), source, "tensor '" + name + "' data_offsets[1]");
        if (end < begin) {
            throw invalid(source, "tensor '" + name + "' ends (" + end + ") before it begins (" + begin + ")");
        }
        TensorEntry entry = new TensorEntry(name, dtype, shape, begin, end);
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(entry.elementCount(), dtype.bytes());
        } catch (ArithmeticException e) {
            throw invalid(source, "tensor '" + name + "' shape " + entry.shapeText() + " is too large");
        }
        if (expectedBytes != end - begin) {
            throw invalid(source, "tensor '" + name + "' is " + dtype + entry.shapeText() + " = " + expectedBytes
                    + " bytes but its data_offsets span " + (end - begin) + " bytes");
        }
        return entry;
    }

    private static long nonNegativeLong(Object value, String source, String what) {
        if (!(value instanceof BigDecimal number)) {
            throw invalid(source, what + " must be a non-negative integer");
        }
        try {
            long result = number.longValueExact();
            if (result < 0) {
                throw invalid(source, what + " is negative (" + result + ")");
            }
            return result;
        } catch (ArithmeticException e) {
            throw invalid(source, what + " is not an integer that fits 63 bits: " + truncate(number.toString()));
        }
    }

    private static String truncate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    static Pretrain4jException invalid(String source, String reason) {
        return new Pretrain4jException(DomainErrorCode.INVALID_SAFETENSORS, source + ": " + reason);
    }
}
