package io.pretrain4j.formats.safetensors;

import io.pretrain4j.domain.model.SafetensorsDType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors header the way the reference reader does: Hugging Face's Rust crate
 * deserializes it with {@code serde_json} into {@code HashMetadata} ({@code __metadata__:
 * Option<HashMap<String, String>>} plus a flattened {@code HashMap<String, TensorInfo>}). What that
 * accepts, this accepts; what it refuses, this refuses (the rules are listed in the architecture
 * guide and checked file by file against the crate's own verdicts):
 *
 * <ul>
 *   <li>strict JSON, whitespace (space, tab, CR, LF) allowed around the object and nothing else after it;
 *   <li>at most 127 nested arrays/objects (serde_json's recursion limit of 128);
 *   <li>strings: no raw control characters, only the JSON escapes, no lone surrogate escapes (in any
 *       string, ignored ones included);
 *   <li>numbers: integers that fit u64 (or i64 when negative) are integers, anything else ({@code 2.0},
 *       {@code 2e0}, {@code -0}, integers past u64) is a float and must be finite ({@code 1e999} is refused);
 *   <li>the root is an object; {@code __metadata__} (after unescaping) appears at most once and is null or
 *       an object of strings (a repeated key inside it: the last wins);
 *   <li>every other key is a tensor, an object with exactly the fields {@code dtype}, {@code shape} and
 *       {@code data_offsets} (each at most once; unknown fields are parsed and ignored), or an array of
 *       those three in that order; a repeated tensor name: every value must be a tensor, the last wins;
 *   <li>{@code dtype} is a type name string or an object {@code {"F32": null}}; {@code shape} an array of
 *       u64; {@code data_offsets} an array of exactly two u64.
 * </ul>
 */
final class HeaderJson {
    private static final String METADATA_KEY = "__metadata__";

    /** A tensor as written, before validation. Shape and offsets are u64 values. */
    record RawTensor(String name, SafetensorsDType dtype, List<BigInteger> shape, BigInteger begin, BigInteger end) {}

    /** The parsed header: tensors in file order (a repeated name keeps its last value, at its first place), and metadata. */
    record Parsed(List<RawTensor> tensors, Map<String, String> metadata) {}

    private final SerdeJsonReader in;

    private HeaderJson(String text) {
        this.in = new SerdeJsonReader(text);
    }

    static Parsed parse(String text) {
        HeaderJson parser = new HeaderJson(text);
        Parsed parsed = parser.root();
        parser.in.whitespace();
        if (!parser.in.atEnd()) {
            throw parser.in.refused("trailing characters");
        }
        return parsed;
    }

    private Parsed root() {
        in.whitespace();
        if (in.peek() != '{') {
            throw in.refused(in.atEnd() ? "EOF while parsing a value" : "the header is not a JSON object");
        }
        Map<String, RawTensor> tensors = new LinkedHashMap<>();
        List<Map<String, String>> metadata = new ArrayList<>(1);
        in.members(key -> {
            if (key.equals(METADATA_KEY)) {
                if (!metadata.isEmpty()) {
                    throw in.refused("duplicate field `__metadata__`");
                }
                Map<String, String> value = metadata();
                metadata.add(value == null ? Map.of() : value);
            } else {
                tensors.put(key, tensor(key));
            }
        });
        return new Parsed(new ArrayList<>(tensors.values()), metadata.isEmpty() ? Map.of() : metadata.get(0));
    }

    private Map<String, String> metadata() {
        in.whitespace();
        if (in.take("null")) {
            return null;
        }
        if (in.peek() != '{') {
            throw in.refused("__metadata__: expected a map, found " + in.describeNext());
        }
        Map<String, String> map = new LinkedHashMap<>();
        in.members(key -> {
            in.whitespace();
            if (in.peek() != '"') {
                throw in.refused("__metadata__." + key + ": expected a string, found " + in.describeNext());
            }
            map.put(key, in.string());
        });
        return map;
    }

    private RawTensor tensor(String name) {
        in.whitespace();
        char c = in.peek();
        if (c == '[') {
            in.open();
            in.whitespace();
            if (in.peek() == ']') {
                throw in.refused("tensor '" + name + "': invalid length 0, expected struct TensorInfo with 3 elements");
            }
            SafetensorsDType dtype = dtype(name);
            requireElement(name, 1);
            List<BigInteger> shape = shape(name);
            requireElement(name, 2);
            BigInteger[] offsets = offsets(name);
            in.whitespace();
            if (in.peek() != ']') {
                throw in.refused("tensor '" + name + "': more than 3 elements, expected 3 elements in sequence");
            }
            in.close();
            return new RawTensor(name, dtype, shape, offsets[0], offsets[1]);
        }
        if (c != '{') {
            throw in.refused("tensor '" + name + "': expected struct TensorInfo, found " + in.describeNext());
        }
        Object[] fields = new Object[3]; // dtype, shape, data_offsets
        List<String> names = List.of("dtype", "shape", "data_offsets");
        in.members(field -> {
            int index = names.indexOf(field);
            if (index < 0) {
                in.skipValue();
                return;
            }
            if (fields[index] != null) {
                throw in.refused("tensor '" + name + "': duplicate field `" + field + "`");
            }
            fields[index] = index == 0 ? dtype(name) : index == 1 ? shape(name) : offsets(name);
        });
        SafetensorsDType dtype = (SafetensorsDType) fields[0];
        @SuppressWarnings("unchecked")
        List<BigInteger> shape = (List<BigInteger>) fields[1];
        BigInteger[] offsets = (BigInteger[]) fields[2];
        if (dtype == null) {
            throw in.refused("tensor '" + name + "': missing field `dtype`");
        }
        if (shape == null) {
            throw in.refused("tensor '" + name + "': missing field `shape`");
        }
        if (offsets == null) {
            throw in.refused("tensor '" + name + "': missing field `data_offsets`");
        }
        return new RawTensor(name, dtype, shape, offsets[0], offsets[1]);
    }

    private void requireElement(String name, int index) {
        in.whitespace();
        if (in.peek() == ']') {
            throw in.refused(
                    "tensor '" + name + "': invalid length " + index + ", expected struct TensorInfo with 3 elements");
        }
        if (in.next() != ',') {
            in.back();
            throw in.refused("expected ',' or ']'");
        }
    }

    private SafetensorsDType dtype(String name) {
        in.whitespace();
        String typeName;
        if (in.peek() == '"') {
            typeName = in.string();
        } else if (in.peek() == '{') {
            // an enum as a map with one key: {"F32": null} is the unit variant F32
            in.open();
            in.whitespace();
            if (in.peek() != '"') {
                throw in.refused("tensor '" + name + "': dtype: expected a variant name");
            }
            typeName = in.string();
            in.colon();
            in.whitespace();
            if (!in.take("null")) {
                throw in.refused("tensor '" + name + "': dtype " + typeName + ": expected unit (null), found "
                        + in.describeNext());
            }
            in.whitespace();
            if (in.peek() != '}') {
                throw in.refused("tensor '" + name + "': dtype: expected value (a map of one variant)");
            }
            in.close();
        } else {
            throw in.refused("tensor '" + name + "': dtype: expected string or map, found " + in.describeNext());
        }
        String finalName = typeName;
        return SafetensorsDType.fromHeaderName(typeName)
                .orElseThrow(() -> in.refused("tensor '" + name + "': unknown variant `"
                        + (finalName.length() <= 40 ? finalName : finalName.substring(0, 40) + "...") + "` (dtype)"));
    }

    private List<BigInteger> shape(String name) {
        in.whitespace();
        if (in.peek() != '[') {
            throw in.refused("tensor '" + name + "': shape: expected a sequence, found " + in.describeNext());
        }
        List<BigInteger> dims = new ArrayList<>();
        in.elements(() -> dims.add(u64(name, "shape[" + dims.size() + "]")));
        return dims;
    }

    private BigInteger[] offsets(String name) {
        in.whitespace();
        if (in.peek() != '[') {
            throw in.refused(
                    "tensor '" + name + "': data_offsets: expected a tuple of size 2, found " + in.describeNext());
        }
        List<BigInteger> values = new ArrayList<>();
        in.elements(() -> {
            if (values.size() == 2) {
                throw in.refused(
                        "tensor '" + name + "': data_offsets: more than 2 elements, expected 2 elements in sequence");
            }
            values.add(u64(name, "data_offsets[" + values.size() + "]"));
        });
        if (values.size() != 2) {
            throw in.refused("tensor '" + name + "': data_offsets: invalid length " + values.size()
                    + ", expected a tuple of size 2");
        }
        return values.toArray(new BigInteger[0]);
    }

    /** A u64 as serde reads {@code usize}: a JSON integer in 0 .. 2^64-1, not written with a fraction or exponent. */
    private BigInteger u64(String name, String what) {
        in.whitespace();
        char c = in.peek();
        if (c != '-' && (c < '0' || c > '9')) {
            throw in.refused("tensor '" + name + "': " + what + ": expected usize, found " + in.describeNext());
        }
        Number number = in.number();
        if (!(number instanceof BigInteger integer)) {
            throw in.refused("tensor '" + name + "': " + what + ": invalid type: floating point `" + number
                    + "`, expected usize");
        }
        if (integer.signum() < 0) {
            throw in.refused(
                    "tensor '" + name + "': " + what + ": invalid value: integer `" + integer + "`, expected usize");
        }
        return integer;
    }
}
