package io.pretrain4j.adapters.dataset.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.dataset.DatasetErrorCode;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/** Reads documents from JSON lines (gzip recognised by its magic bytes), with errors that name the line. */
public final class JsonLines {
    /** Shared, thread-safe. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLines() {}

    /**
     * Reads one text per non-blank line from the first of {@code fields} the line's object holds as
     * a string.
     *
     * @param source names the input in errors
     * @param maxLineChars longer lines are an error (a corrupt file must not exhaust memory)
     * @param maxTotalChars the input may hold at most this many characters of text
     */
    public static void read(
            InputStream raw,
            String source,
            List<String> fields,
            int maxLineChars,
            long maxTotalChars,
            Consumer<String> sink)
            throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
        long total = 0;
        long lineNumber = 0;
        StringBuilder line = new StringBuilder();
        while (true) {
            line.setLength(0);
            boolean eof = readLine(reader, line, maxLineChars, source, lineNumber + 1);
            if (eof && line.isEmpty()) {
                break;
            }
            lineNumber++;
            if (line.toString().isBlank()) {
                continue;
            }
            String text = text(line.toString(), source + ":" + lineNumber, fields);
            total += text.length();
            if (total > maxTotalChars) {
                throw invalid(source + " holds more than " + maxTotalChars
                        + " characters of text; raise max-chars or split the corpus");
            }
            sink.accept(text);
            if (eof) {
                break;
            }
        }
    }

    private static boolean readLine(
            BufferedReader reader, StringBuilder line, int maxLineChars, String source, long lineNumber)
            throws IOException {
        while (true) {
            int c;
            try {
                c = reader.read();
            } catch (CharacterCodingException e) {
                throw invalid(source + ":" + lineNumber + ": not valid UTF-8");
            }
            if (c < 0) {
                return true;
            }
            if (c == '\n') {
                return false;
            }
            if (line.length() >= maxLineChars) {
                throw invalid(source + ":" + lineNumber + ": line longer than " + maxLineChars + " characters");
            }
            line.append((char) c);
        }
    }

    /** The text of one JSON line. */
    public static String text(String line, String where, List<String> fields) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JacksonException e) {
            throw invalid(where + ": not JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw invalid(where + ": not a JSON object");
        }
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value != null && value.isTextual()) {
                return value.textValue();
            }
        }
        throw invalid(where + ": no string field "
                + String.join(" or ", fields.stream().map(f -> "'" + f + "'").toList()) + "; the object has "
                + names(node));
    }

    /** The field names of an object, for errors (at most 10). */
    public static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        while (it.hasNext() && names.size() < 10) {
            names.add(it.next());
        }
        return names;
    }

    private static Pretrain4jException invalid(String message) {
        return new Pretrain4jException(DatasetErrorCode.DATASET_INVALID, message);
    }
}
