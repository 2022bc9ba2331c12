package io.pretrain4j.formats.safetensors;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import java.math.BigInteger;
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

/**
 * The validated header of a safetensors file: tensor entries and free-form metadata.
 *
 * <p>A model is scored by every validator of a subnet, and the reference validators read it with
 * Hugging Face's Rust {@code safetensors} crate; a file that crate refuses scores +inf there, so it
 * must be refused here too, and a file it accepts must be accepted. The rules are the crate's
 * ({@code SafeTensors::read_metadata} and {@code Metadata::validate}), rule for rule: the header's
 * length (at most 100,000,000 bytes, inside the file), UTF-8, the JSON rules of {@link HeaderJson},
 * then, tensors sorted by their offsets, each beginning where the previous ended, its element count
 * and bit size without u64 overflow, a whole number of bytes, {@code shape x dtype} equal to its span,
 * and the data section exactly as long as the tensors. Every refusal is a {@link Pretrain4jException}
 * with code {@link DomainErrorCode#INVALID_SAFETENSORS} naming the file, the rule and, in brackets,
 * the crate's error kind (e.g. {@code [HeaderTooLarge]}).
 */
public final class SafetensorsHeader {
    /** The largest header the reference reads: its {@code MAX_HEADER_SIZE}, 100,000,000 bytes (not 100 MiB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

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
     * Checks the 8-byte length prefix (read as an unsigned little-endian u64) of a file of {@code fileSize} bytes.
     *
     * @return the header length
     */
    public static long checkedHeaderLength(long declared, long fileSize, String source) {
        if (declared < 0 || declared > MAX_HEADER_BYTES) {
            throw invalid(
                    source,
                    "header length " + Long.toUnsignedString(declared) + " exceeds the limit of " + MAX_HEADER_BYTES
                            + " bytes [HeaderTooLarge]");
        }
        if (declared > fileSize - 8) {
            throw invalid(
                    source,
                    "header length " + declared + " runs past the end of the file (" + fileSize
                            + " bytes): the file is truncated or not safetensors [InvalidHeaderLength]");
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
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(header))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid(source, "header is not valid UTF-8 [InvalidHeader]");
        }
        HeaderJson.Parsed parsed;
        try {
            parsed = HeaderJson.parse(text);
        } catch (SerdeJsonReader.Refused e) {
            throw invalid(
                    source,
                    "header is not a valid safetensors header: " + e.getMessage() + " [InvalidHeaderDeserialization]");
        }
        List<HeaderJson.RawTensor> sorted = new ArrayList<>(parsed.tensors());
        sorted.sort(Comparator.comparing(HeaderJson.RawTensor::begin).thenComparing(HeaderJson.RawTensor::end));
        BigInteger start = BigInteger.ZERO;
        Map<String, TensorEntry> byName = new LinkedHashMap<>();
        for (HeaderJson.RawTensor tensor : sorted) {
            String name = tensor.name();
            if (!tensor.begin().equals(start) || tensor.end().compareTo(tensor.begin()) < 0) {
                String what = tensor.end().compareTo(tensor.begin()) < 0
                        ? "ends (" + tensor.end() + ") before it begins"
                        : tensor.begin().compareTo(start) < 0
                                ? "overlaps the tensor before it (which ends at " + start + ")"
                                : "leaves a gap (bytes " + start + ".." + tensor.begin() + ")";
                throw invalid(
                        source, "tensor '" + name + "' at offset " + tensor.begin() + " " + what + " [InvalidOffset]");
            }
            start = tensor.end();
            BigInteger elements = BigInteger.ONE;
            for (BigInteger dim : tensor.shape()) {
                elements = elements.multiply(dim);
                if (elements.compareTo(U64_MAX) > 0) {
                    throw invalid(
                            source,
                            "tensor '" + name + "' shape " + tensor.shape()
                                    + " overflows 64 bits [ValidationOverflow]");
                }
            }
            BigInteger bits =
                    elements.multiply(BigInteger.valueOf(tensor.dtype().bits()));
            if (bits.compareTo(U64_MAX) > 0) {
                throw invalid(
                        source,
                        "tensor '" + name + "' " + tensor.dtype() + tensor.shape()
                                + " overflows 64 bits [ValidationOverflow]");
            }
            if (bits.mod(BigInteger.valueOf(8)).signum() != 0) {
                throw invalid(
                        source,
                        "tensor '" + name + "' " + tensor.dtype() + tensor.shape() + " is " + bits
                                + " bits, not a whole number of bytes [MisalignedSlice]");
            }
            BigInteger size = bits.shiftRight(3);
            if (!tensor.end().subtract(tensor.begin()).equals(size)) {
                throw invalid(
                        source,
                        "tensor '" + name + "' is " + tensor.dtype() + tensor.shape() + " = " + size
                                + " bytes but its data_offsets span "
                                + tensor.end().subtract(tensor.begin()) + " bytes [TensorInvalidInfo]");
            }
        }
        if (!start.equals(BigInteger.valueOf(dataLength))) {
            throw invalid(
                    source,
                    (start.compareTo(BigInteger.valueOf(dataLength)) > 0
                                    ? "tensors need " + start + " data bytes but the file holds " + dataLength
                                            + " (truncated?)"
                                    : "data section has " + (dataLength - start.longValueExact())
                                            + " bytes not covered by any tensor")
                            + " [MetadataIncompleteBuffer]");
        }
        for (HeaderJson.RawTensor tensor : sorted) {
            long[] shape = new long[tensor.shape().size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = tensor.shape()
                        .get(i)
                        .longValue(); // u64 bits; only a zero-size tensor can hold a dimension >= 2^63
            }
            byName.put(
                    tensor.name(),
                    new TensorEntry(
                            tensor.name(),
                            tensor.dtype(),
                            shape,
                            tensor.begin().longValueExact(),
                            tensor.end().longValueExact()));
        }
        return new SafetensorsHeader(byName, parsed.metadata());
    }

    static Pretrain4jException invalid(String source, String reason) {
        return new Pretrain4jException(DomainErrorCode.INVALID_SAFETENSORS, source + ": " + reason);
    }
}
