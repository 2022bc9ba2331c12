package io.pretrain4j.domain.safetensors;

import io.pretrain4j.domain.json.JsonText;

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
    /** The deepest nesting serde_json accepts (its recursion limit is 128 levels, the 128th refused). */
    static final int MAX_DEPTH = 127;
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final String METADATA_KEY = "__metadata__";

    /** A tensor as written, before validation. Shape and offsets are u64 values. */
    record RawTensor(String name, SafetensorsDType dtype, List<BigInteger> shape, BigInteger begin, BigInteger end) {}

    /** The parsed header: tensors in file order (a repeated name keeps its last value, at its first place), and metadata. */
    record Parsed(List<RawTensor> tensors, Map<String, String> metadata) {}

    /** A header the reference refuses to deserialize; the message says what and where, as serde_json would. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final String text;
    private int pos;
    private int depth;

    private HeaderJson(String text) {
        this.text = text;
    }

    static Parsed parse(String text) {
        HeaderJson parser = new HeaderJson(text);
        Parsed parsed = parser.root();
        parser.whitespace();
        if (parser.pos < text.length()) {
            throw parser.refused("trailing characters");
        }
        return parsed;
    }

    private Parsed root() {
        whitespace();
        if (peek() != '{') {
            throw refused(pos >= text.length() ? "EOF while parsing a value" : "the header is not a JSON object");
        }
        enter();
        pos++;
        Map<String, RawTensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = null;
        boolean metadataSeen = false;
        whitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return new Parsed(List.of(), Map.of());
        }
        while (true) {
            whitespace();
            if (peek() != '"') {
                throw refused("key must be a string");
            }
            String key = string();
            colon();
            if (key.equals(METADATA_KEY)) {
                if (metadataSeen) {
                    throw refused("duplicate field `__metadata__`");
                }
                metadataSeen = true;
                metadata = metadata();
            } else {
                RawTensor tensor = tensor(key);
                tensors.put(key, tensor);
            }
            if (!more('}')) {
                break;
            }
        }
        depth--;
        return new Parsed(new ArrayList<>(tensors.values()), metadata == null ? Map.of() : metadata);
    }

    private Map<String, String> metadata() {
        whitespace();
        if (text.startsWith("null", pos)) {
            pos += 4;
            return null;
        }
        if (peek() != '{') {
            throw refused("__metadata__: expected a map, found " + describeNext());
        }
        enter();
        pos++;
        Map<String, String> map = new LinkedHashMap<>();
        whitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return map;
        }
        while (true) {
            whitespace();
            if (peek() != '"') {
                throw refused("key must be a string");
            }
            String key = string();
            colon();
            whitespace();
            if (peek() != '"') {
                throw refused("__metadata__." + key + ": expected a string, found " + describeNext());
            }
            map.put(key, string());
            if (!more('}')) {
                break;
            }
        }
        depth--;
        return map;
    }

    private RawTensor tensor(String name) {
        whitespace();
        char c = peek();
        if (c == '[') {
            enter();
            pos++;
            whitespace();
            if (peek() == ']') {
                throw refused("tensor '" + name + "': invalid length 0, expected struct TensorInfo with 3 elements");
            }
            SafetensorsDType dtype = dtype(name);
            requireElement(name, 1);
            List<BigInteger> shape = shape(name);
            requireElement(name, 2);
            BigInteger[] offsets = offsets(name);
            whitespace();
            if (peek() != ']') {
                throw refused("tensor '" + name + "': more than 3 elements, expected 3 elements in sequence");
            }
            pos++;
            depth--;
            return new RawTensor(name, dtype, shape, offsets[0], offsets[1]);
        }
        if (c != '{') {
            throw refused("tensor '" + name + "': expected struct TensorInfo, found " + describeNext());
        }
        enter();
        pos++;
        SafetensorsDType dtype = null;
        List<BigInteger> shape = null;
        BigInteger[] offsets = null;
        whitespace();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                whitespace();
                if (peek() != '"') {
                    throw refused("key must be a string");
                }
                String field = string();
                colon();
                switch (field) {
                    case "dtype" -> {
                        if (dtype != null) {
                            throw refused("tensor '" + name + "': duplicate field `dtype`");
                        }
                        dtype = dtype(name);
                    }
                    case "shape" -> {
                        if (shape != null) {
                            throw refused("tensor '" + name + "': duplicate field `shape`");
                        }
                        shape = shape(name);
                    }
                    case "data_offsets" -> {
                        if (offsets != null) {
                            throw refused("tensor '" + name + "': duplicate field `data_offsets`");
                        }
                        offsets = offsets(name);
                    }
                    default -> skipValue();
                }
                if (!more('}')) {
                    break;
                }
            }
        }
        depth--;
        if (dtype == null) {
            throw refused("tensor '" + name + "': missing field `dtype`");
        }
        if (shape == null) {
            throw refused("tensor '" + name + "': missing field `shape`");
        }
        if (offsets == null) {
            throw refused("tensor '" + name + "': missing field `data_offsets`");
        }
        return new RawTensor(name, dtype, shape, offsets[0], offsets[1]);
    }

    private void requireElement(String name, int index) {
        whitespace();
        if (peek() == ']') {
            throw refused("tensor '" + name + "': invalid length " + index + ", expected struct TensorInfo with 3 elements");
        }
        if (next() != ',') {
            pos--;
            throw refused("expected ',' or ']'");
        }
    }

    private SafetensorsDType dtype(String name) {
        whitespace();
        String typeName;
        if (peek() == '"') {
            typeName = string();
        } else if (peek() == '{') {
            // an enum as a map with one key: {"F32": null} is the unit variant F32
            enter();
            pos++;
            whitespace();
            if (peek() != '"') {
                throw refused("tensor '" + name + "': dtype: expected a variant name");
            }
            typeName = string();
            colon();
            whitespace();
            if (!text.startsWith("null", pos)) {
                throw refused("tensor '" + name + "': dtype " + typeName + ": expected unit (null), found " + describeNext());
            }
            pos += 4;
            whitespace();
            if (peek() != '}') {
                throw refused("tensor '" + name + "': dtype: expected value (a map of one variant)");
            }
            pos++;
            depth--;
        } else {
            throw refused("tensor '" + name + "': dtype: expected string or map, found " + describeNext());
        }
        String finalName = typeName;
        return SafetensorsDType.fromHeaderName(typeName)
                .orElseThrow(() -> refused("tensor '" + name + "': unknown variant `" + truncate(finalName) + "` (dtype)"));
    }

    private List<BigInteger> shape(String name) {
        whitespace();
        if (peek() != '[') {
            throw refused("tensor '" + name + "': shape: expected a sequence, found " + describeNext());
        }
        enter();
        pos++;
        List<BigInteger> dims = new ArrayList<>();
        whitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return dims;
        }
        while (true) {
            dims.add(u64(name, "shape[" + dims.size() + "]"));
            if (!more(']')) {
                break;
            }
        }
        depth--;
        return dims;
    }

    private BigInteger[] offsets(String name) {
        whitespace();
        if (peek() != '[') {
            throw refused("tensor '" + name + "': data_offsets: expected a tuple of size 2, found " + describeNext());
        }
        enter();
        pos++;
        List<BigInteger> values = new ArrayList<>();
        whitespace();
        if (peek() != ']') {
            while (true) {
                if (values.size() == 2) {
                    throw refused("tensor '" + name + "': data_offsets: more than 2 elements, expected 2 elements in sequence");
                }
                values.add(u64(name, "data_offsets[" + values.size() + "]"));
                if (!more(']')) {
                    break;
                }
            }
        } else {
            pos++;
        }
        depth--;
        if (values.size() != 2) {
            throw refused("tensor '" + name + "': data_offsets: invalid length " + values.size() + ", expected a tuple of size 2");
        }
        return values.toArray(new BigInteger[0]);
    }

    /** A u64 as serde reads {@code usize}: a JSON integer in 0 .. 2^64-1, not written with a fraction or exponent. */
    private BigInteger u64(String name, String what) {
        whitespace();
        char c = peek();
        if (c != '-' && (c < '0' || c > '9')) {
            throw refused("tensor '" + name + "': " + what + ": expected usize, found " + describeNext());
        }
        Number number = number();
        if (!(number instanceof BigInteger integer)) {
            throw refused("tensor '" + name + "': " + what + ": invalid type: floating point `" + number + "`, expected usize");
        }
        if (integer.signum() < 0) {
            throw refused("tensor '" + name + "': " + what + ": invalid value: integer `" + integer + "`, expected usize");
        }
        return integer;
    }

    /** Parses and discards any JSON value, with every rule applied (escapes, numbers, depth). */
    private void skipValue() {
        whitespace();
        char c = peek();
        switch (c) {
            case '{' -> {
                enter();
                pos++;
                whitespace();
                if (peek() == '}') {
                    pos++;
                } else {
                    while (true) {
                        whitespace();
                        if (peek() != '"') {
                            throw refused("key must be a string");
                        }
                        string();
                        colon();
                        skipValue();
                        if (!more('}')) {
                            break;
                        }
                    }
                }
                depth--;
            }
            case '[' -> {
                enter();
                pos++;
                whitespace();
                if (peek() == ']') {
                    pos++;
                } else {
                    while (true) {
                        skipValue();
                        if (!more(']')) {
                            break;
                        }
                    }
                }
                depth--;
            }
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                } else {
                    throw refused(pos >= text.length() ? "EOF while parsing a value" : "expected value");
                }
            }
        }
    }

    /** After a member: true when a ',' follows (more members), false at {@code close}. */
    private boolean more(char close) {
        whitespace();
        if (pos >= text.length()) {
            throw refused("EOF while parsing " + (close == '}' ? "an object" : "a list"));
        }
        char c = text.charAt(pos++);
        if (c == close) {
            return false;
        }
        if (c != ',') {
            pos--;
            throw refused("expected ',' or '" + close + "'");
        }
        whitespace();
        if (peek() == close) {
            throw refused("trailing comma");
        }
        return true;
    }

    private void colon() {
        whitespace();
        if (pos >= text.length() || text.charAt(pos) != ':') {
            throw refused("expected ':'");
        }
        pos++;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw refused("recursion limit exceeded (more than " + MAX_DEPTH + " nested arrays and objects)");
        }
    }

    private void literal(String word) {
        if (!text.startsWith(word, pos)) {
            throw refused("expected value");
        }
        pos += word.length();
    }

    /**
     * A JSON number as serde_json reads it: a {@link BigInteger} when written without fraction or
     * exponent and within u64 (or i64 when negative, except -0); otherwise a finite {@link Double}.
     */
    private Number number() {
        int start = pos;
        boolean negative = peek() == '-';
        if (negative) {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (peek() >= '0' && peek() <= '9') {
                throw refused("invalid number");
            }
        } else if (peek() >= '1' && peek() <= '9') {
            digits();
        } else {
            throw refused("invalid number");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!(peek() >= '0' && peek() <= '9')) {
                throw refused("invalid number");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!(peek() >= '0' && peek() <= '9')) {
                throw refused("invalid number");
            }
            digits();
        }
        String literal = text.substring(start, pos);
        if (integral) {
            BigInteger value = new BigInteger(literal);
            boolean fits = negative ? value.signum() < 0 && value.bitLength() <= 63 : value.compareTo(U64_MAX) <= 0;
            if (fits) {
                return value;
            }
        }
        double value = Double.parseDouble(literal);
        if (Double.isInfinite(value)) {
            pos = start;
            throw refused("number out of range");
        }
        return value;
    }

    private void digits() {
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
    }

    private String string() {
        pos++; // the opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw refused("EOF while parsing a string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                pos--;
                throw refused("control character (\\u0000-\\u001F) found while parsing a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw refused("EOF while parsing a string");
            }
            char escape = text.charAt(pos++);
            int simple = JsonText.simpleEscape(escape);
            if (simple >= 0) {
                out.append((char) simple);
                continue;
            }
            switch (escape) {
                case 'u' -> {
                    char unit = hex4();
                    if (Character.isLowSurrogate(unit)) {
                        throw refused("lone leading surrogate in hex escape");
                    }
                    if (Character.isHighSurrogate(unit)) {
                        if (!text.startsWith("\\u", pos)) {
                            throw refused("unexpected end of hex escape (a lone surrogate)");
                        }
                        pos += 2;
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) {
                            throw refused("lone leading surrogate in hex escape");
                        }
                        out.append(unit).append(low);
                    } else {
                        out.append(unit);
                    }
                }
                default -> {
                    pos--;
                    throw refused("invalid escape");
                }
            }
        }
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw refused("EOF while parsing a string");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = JsonText.hexDigit(text.charAt(pos + i));
            if (digit < 0) {
                pos += i;
                throw refused("invalid escape");
            }
            value = value << 4 | digit;
        }
        pos += 4;
        return (char) value;
    }

    private void whitespace() {
        pos = JsonText.skipWhitespace(text, pos);
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next() {
        if (pos >= text.length()) {
            throw refused("EOF while parsing a value");
        }
        return text.charAt(pos++);
    }

    private String describeNext() {
        whitespace();
        if (pos >= text.length()) {
            return "the end of the header";
        }
        return switch (text.charAt(pos)) {
            case '{' -> "a map";
            case '[' -> "a sequence";
            case '"' -> "a string";
            case 'n' -> "null";
            case 't', 'f' -> "a boolean";
            default -> "a number";
        };
    }

    private static String truncate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private Refused refused(String message) {
        return new Refused(message + " at " + JsonText.location(text, pos));
    }
}
