package io.pretrain4j.formats.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON as Python's {@code json.loads} does (the C scanner, which transformers uses for
 * {@code config.json}), so that a validator accepts exactly the configs Python validators accept:
 * <ul>
 *   <li>{@code NaN}, {@code Infinity} and {@code -Infinity} are numbers;
 *   <li>integers (no fraction, no exponent) are {@link BigInteger} of any size; other numbers are
 *       {@link Double}, {@code 1e999} being infinity and {@code 1e-999} zero;
 *   <li>a repeated key: the last value wins;
 *   <li>strings keep lone surrogate escapes; {@code \}{@code u} takes exactly four ASCII hex digits
 *       ({@code \}{@code u+041} is refused); raw control characters are refused;
 *   <li>whitespace is space, tab, CR and LF; nothing but whitespace may follow the document.
 * </ul>
 * Objects are {@code Map<String, Object>} in first-seen key order, arrays {@code List<Object>},
 * plus {@code String}, {@code Boolean} and {@link #NULL}. Nesting deeper than {@value #MAX_DEPTH}
 * levels is refused (Python's own limit is its recursion limit, about 1000). Every refusal is a
 * {@link MiniJson.JsonSyntaxException} naming the line and column.
 */
public final class PythonJson {
    /** The JSON {@code null}. */
    public static final Object NULL = MiniJson.NULL;
    /** The deepest nesting read. */
    public static final int MAX_DEPTH = 900;

    private final String text;
    private int pos;

    private PythonJson(String text) {
        this.text = text;
    }

    /** Parses one JSON document. */
    public static Object parse(String text) {
        PythonJson parser = new PythonJson(text);
        parser.whitespace();
        Object value = parser.value(0);
        parser.whitespace();
        if (parser.pos != text.length()) {
            throw parser.error("Extra data");
        }
        return value;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
        if (pos >= text.length()) {
            throw error("Expecting value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                pos++;
                return string();
            default:
                break;
        }
        if (text.startsWith("null", pos)) {
            pos += 4;
            return NULL;
        }
        if (text.startsWith("true", pos)) {
            pos += 4;
            return Boolean.TRUE;
        }
        if (text.startsWith("false", pos)) {
            pos += 5;
            return Boolean.FALSE;
        }
        if (text.startsWith("NaN", pos)) {
            pos += 3;
            return Double.NaN;
        }
        if (text.startsWith("Infinity", pos)) {
            pos += 8;
            return Double.POSITIVE_INFINITY;
        }
        if (text.startsWith("-Infinity", pos)) {
            pos += 9;
            return Double.NEGATIVE_INFINITY;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        throw error("Expecting value");
    }

    private Map<String, Object> object(int depth) {
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        whitespace();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            if (peek() != '"') {
                throw error("Expecting property name enclosed in double quotes");
            }
            pos++;
            String key = string();
            whitespace();
            if (peek() != ':') {
                throw error("Expecting ':' delimiter");
            }
            pos++;
            whitespace();
            map.put(key, value(depth + 1)); // Python's dict: the last value of a repeated key wins
            whitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return Collections.unmodifiableMap(map);
            }
            if (c != ',') {
                pos--;
                throw error("Expecting ',' delimiter");
            }
            whitespace();
        }
    }

    private List<Object> array(int depth) {
        pos++;
        List<Object> list = new ArrayList<>();
        whitespace();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            list.add(value(depth + 1));
            whitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return Collections.unmodifiableList(list);
            }
            if (c != ',') {
                pos--;
                throw error("Expecting ',' delimiter");
            }
            whitespace();
        }
    }

    private String string() {
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("Unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("Invalid control character");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("Unterminated string");
            }
            char escape = text.charAt(pos++);
            int simple = JsonText.simpleEscape(escape);
            if (simple >= 0) {
                out.append((char) simple);
            } else if (escape == 'u') {
                out.append(hex4());
            } else {
                pos -= 2;
                throw error("Invalid \\escape");
            }
        }
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw error("Invalid \\uXXXX escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = JsonText.hexDigit(text.charAt(pos + i));
            if (digit < 0) {
                throw error("Invalid \\uXXXX escape");
            }
            value = value << 4 | digit;
        }
        pos += 4;
        return (char) value;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (peek() >= '1' && peek() <= '9') {
            digits();
        } else {
            pos = start;
            throw error("Expecting value");
        }
        boolean integral = true;
        if (peek() == '.' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1))) {
            integral = false;
            pos++;
            digits();
        }
        if ((peek() == 'e' || peek() == 'E')) {
            int mark = pos;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (isDigit(peek())) {
                integral = false;
                digits();
            } else {
                pos = mark; // Python's scanner stops before an incomplete exponent; the rest is then "Extra data"
            }
        }
        String literal = text.substring(start, pos);
        if (literal.length() > 4300 && integral) {
            // CPython refuses int() of more than 4300 digits (sys.int_info.default_max_str_digits)
            throw error("Exceeds the limit (4300 digits) for integer string conversion");
        }
        return integral ? new BigInteger(literal) : (Object) Double.parseDouble(literal);
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void whitespace() {
        pos = JsonText.skipWhitespace(text, pos);
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private MiniJson.JsonSyntaxException error(String message) {
        return new MiniJson.JsonSyntaxException(message + ": " + JsonText.location(text, pos));
    }
}
