package io.pretrain4j.domain.data;

/**
 * Text as every tokenizer must see it. JSON text may carry lone UTF-16 surrogates ({@code "\ud800"}),
 * which Java strings keep but UTF-8 cannot encode; each tokenizer would otherwise treat them its own
 * way (one writes {@code ?}, another three invalid bytes). Every lone surrogate (a high one not
 * followed by a low one, a low one not preceded by a high one) becomes U+FFFD, the replacement the
 * reference implementations' UTF-8 conversion makes, before any tokenizer encodes the text.
 */
public final class WellFormedText {
    /** The replacement character. */
    public static final char REPLACEMENT = '\uFFFD';

    private WellFormedText() {}

    /** {@code text} with each lone surrogate replaced by U+FFFD; the same instance when there is none. */
    public static String of(String text) {
        int first = firstLone(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        out.append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int firstLone(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
