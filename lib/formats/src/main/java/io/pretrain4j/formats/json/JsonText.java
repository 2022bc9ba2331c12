package io.pretrain4j.formats.json;

/**
 * The lexical pieces the domain's JSON readers share ({@link MiniJson}, {@link PythonJson} and the
 * safetensors header reader), which differ only in what they accept, not in how JSON is spelled.
 */
public final class JsonText {
    private JsonText() {}

    /** The value of an ASCII hex digit, or -1 (JSON's {@code \}{@code uXXXX} takes ASCII digits only). */
    public static int hexDigit(char c) {
        return c >= '0' && c <= '9'
                ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /** The character a one-letter escape stands for ({@code \n} and so on), or -1 when it is not one of them. */
    public static int simpleEscape(char escape) {
        return switch (escape) {
            case '"', '\\', '/' -> escape;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> -1;
        };
    }

    /** The position after JSON whitespace (space, tab, CR, LF) from {@code pos}. */
    public static int skipWhitespace(String text, int pos) {
        int at = pos;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            at++;
        }
        return at;
    }

    /** {@code line L, column C} (both from 1) of the character at {@code pos}, for messages. */
    public static String location(String text, int pos) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return "line " + line + ", column " + column;
    }
}
