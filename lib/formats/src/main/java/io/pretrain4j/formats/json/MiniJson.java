package io.pretrain4j.formats.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON reader for the domain's own resource files, so the domain stays on the
 * JDK alone (adapters and apps use Jackson). Objects become {@code Map<String, Object>} in file
 * order, arrays {@code List<Object>}, numbers {@link BigDecimal}, plus {@code String},
 * {@code Boolean} and {@link #NULL}. Duplicate keys, trailing commas, comments and trailing text
 * are errors that name the offset.
 */
public final class MiniJson {
    /** The JSON {@code null}. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static final int MAX_DEPTH = 64;
    /** The longest number literal read (Jackson's default limit). */
    static final int MAX_NUMBER_CHARS = 1000;
    /** The largest decimal exponent of a number read: far past any double (10^308) and any count. */
    static final int MAX_MAGNITUDE = 4300;

    private final String text;
    private int pos;

    private MiniJson(String text) {
        this.text = text;
    }

    /** Parses one JSON document. */
    public static Object parse(String text) {
        MiniJson parser = new MiniJson(text);
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos != text.length()) {
            throw parser.error("unexpected text after the document");
        }
        return value;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        skipWhitespace();
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> number();
        };
    }

    private Map<String, Object> object(int depth) {
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            Object value = value(depth + 1);
            if (map.put(key, value) != null) {
                pos = keyAt;
                throw error("duplicate key '" + key + "'");
            }
            skipWhitespace();
            char c = next();
            if (c == '}') {
                return Collections.unmodifiableMap(map);
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        pos++;
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            list.add(value(depth + 1));
            skipWhitespace();
            char c = next();
            if (c == ']') {
                return Collections.unmodifiableList(list);
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character in string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escape = next();
            int simple = JsonText.simpleEscape(escape);
            if (simple >= 0) {
                out.append((char) simple);
            } else if (escape == 'u') {
                if (pos + 4 > text.length()) {
                    throw error("truncated \\u escape");
                }
                int unit = 0;
                for (int i = 0; i < 4; i++) {
                    int digit = JsonText.hexDigit(text.charAt(pos + i));
                    if (digit < 0) {
                        throw error("bad \\u escape (four ASCII hex digits are needed)");
                    }
                    unit = unit << 4 | digit;
                }
                out.append((char) unit);
                pos += 4;
            } else {
                pos--;
                throw error("bad escape '\\" + escape + "'");
            }
        }
    }

    private BigDecimal number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("unexpected character '" + peek() + "'");
        }
        if (peek() == '.') {
            pos++;
            requireDigit();
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            requireDigit();
            digits();
        }
        if (pos - start > MAX_NUMBER_CHARS) {
            pos = start;
            throw error("number of more than " + MAX_NUMBER_CHARS + " characters");
        }
        try {
            BigDecimal value = new BigDecimal(text.substring(start, pos));
            // a value of a billion-digit magnitude is valid BigDecimal, and would hang whoever converts it
            if (value.signum() != 0 && Math.abs((long) value.precision() - value.scale()) > MAX_MAGNITUDE) {
                throw new NumberFormatException("magnitude beyond 10^" + MAX_MAGNITUDE);
            }
            return value;
        } catch (NumberFormatException e) {
            pos = start;
            throw error("number out of range (" + e.getMessage() + ")");
        }
    }

    private void requireDigit() {
        if (!isDigit(peek())) {
            throw error("expected a digit");
        }
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected token");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) {
        if (next() != c) {
            pos--;
            throw error("expected '" + c + "'");
        }
    }

    private char next() {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        return text.charAt(pos++);
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void skipWhitespace() {
        pos = JsonText.skipWhitespace(text, pos);
    }

    private JsonSyntaxException error(String message) {
        return new JsonSyntaxException(message + " at " + JsonText.location(text, pos));
    }

    /** Malformed JSON; the message names the place. */
    public static final class JsonSyntaxException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        JsonSyntaxException(String message) {
            super(message);
        }
    }
}
