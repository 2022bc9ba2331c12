package io.pretrain4j.formats.safetensors;

import io.pretrain4j.formats.json.JsonText;
import java.math.BigInteger;
import java.util.function.Consumer;

/**
 * JSON read by serde_json's rules (what Hugging Face's Rust safetensors crate parses headers with):
 * strict syntax, whitespace of space/tab/CR/LF only, at most {@value #MAX_DEPTH} nested arrays and
 * objects, strings without raw control characters or lone surrogate escapes, numbers that are
 * integers when written without fraction or exponent and within u64 (i64 when negative, except -0)
 * and otherwise finite doubles. Refusals are {@link Refused} with serde_json's wording and the place.
 */
final class SerdeJsonReader {
    /** The deepest nesting serde_json accepts (its recursion limit is 128 levels, the 128th refused). */
    static final int MAX_DEPTH = 127;

    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** JSON the reference refuses to deserialize; the message says what and where, as serde_json would. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final String text;
    private int pos;
    private int depth;

    SerdeJsonReader(String text) {
        this.text = text;
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    /** Whether {@code word} starts here; if so it is consumed. */
    boolean take(String word) {
        if (text.startsWith(word, pos)) {
            pos += word.length();
            return true;
        }
        return false;
    }

    /** Enters an array or object whose bracket is at {@code pos}. */
    void open() {
        enter();
        pos++;
    }

    /** Leaves an array or object whose closing bracket is at {@code pos}. */
    void close() {
        pos++;
        depth--;
    }

    /** Steps back over the character just read (to name the place of an error). */
    void back() {
        pos--;
    }

    /** Parses and discards any JSON value, with every rule applied (escapes, numbers, depth). */
    void skipValue() {
        whitespace();
        char c = peek();
        switch (c) {
            case '{' -> members(key -> skipValue());
            case '[' -> elements(this::skipValue);
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

    /** An object at {@code pos}: for each member, its key is read and {@code member} reads the value. */
    void members(Consumer<String> member) {
        enter();
        pos++;
        whitespace();
        if (peek() == '}') {
            pos++;
        } else {
            do {
                whitespace();
                if (peek() != '"') {
                    throw refused("key must be a string");
                }
                String key = string();
                colon();
                member.accept(key);
            } while (more('}'));
        }
        depth--;
    }

    /** An array at {@code pos}: {@code element} reads each element. */
    void elements(Runnable element) {
        enter();
        pos++;
        whitespace();
        if (peek() == ']') {
            pos++;
        } else {
            do {
                element.run();
            } while (more(']'));
        }
        depth--;
    }

    /** After a member: true when a ',' follows (more members), false at {@code close}. */
    boolean more(char close) {
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

    void colon() {
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
    Number number() {
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

    String string() {
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

    void whitespace() {
        pos = JsonText.skipWhitespace(text, pos);
    }

    char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    char next() {
        if (pos >= text.length()) {
            throw refused("EOF while parsing a value");
        }
        return text.charAt(pos++);
    }

    String describeNext() {
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

    Refused refused(String message) {
        return new Refused(message + " at " + JsonText.location(text, pos));
    }
}
