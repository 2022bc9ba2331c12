package io.pretrain4j.launcher.cli;

import io.pretrain4j.domain.Secrets;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** What every pretrain4j launcher does first: check the file-name encoding and route logging (secrets redacted) to stderr. */
public final class Logging {
    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final List<Logger> QUIETED =
            List.of(Logger.getLogger("ai.djl"), Logger.getLogger("ai.djl.util.cuda"));

    private Logging() {}

    /**
     * The JVM encodes file names with the locale's charset ({@code sun.jnu.encoding}), fixed at start:
     * under a POSIX locale a non-ASCII file name cannot even be named. bin/pretrain4j picks a UTF-8
     * locale; started otherwise, the operator is told once, and such a name fails with
     * {@link #unrepresentableFileName}. Every launcher calls it at start.
     */
    public static void checkFileNameEncoding() {
        String encoding = System.getProperty("sun.jnu.encoding", "");
        if (!encoding.equalsIgnoreCase("UTF-8")) {
            System.err.println("pretrain4j: warning: file names are encoded as " + encoding
                    + " (this locale's charset), so files with"
                    + " non-ASCII names cannot be read or written; run under a UTF-8 locale such as LC_ALL=C.UTF-8"
                    + " (bin/pretrain4j picks one)");
        }
    }

    /** The message for a file name this JVM cannot represent. */
    public static String unrepresentableFileName(String name) {
        return "the file name '" + name + "' cannot be represented in this JVM's file-name encoding ("
                + System.getProperty("sun.jnu.encoding")
                + "); run under a UTF-8 locale such as LC_ALL=C.UTF-8 (bin/pretrain4j picks one)";
    }

    /** One line per record on stderr; libraries log through System.Logger, which lands here. Every launcher calls it at start. */
    public static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            // the operator's handlers and formats, with secrets taken out all the same
            for (Handler existing : Logger.getLogger("").getHandlers()) {
                existing.setFormatter(new RedactingFormatter(
                        existing.getFormatter() == null ? new SimpleFormatter() : existing.getFormatter()));
            }
            return;
        }
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$-7s %3$s - %5$s%6$s%n");
        LogManager.getLogManager().reset();
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new RedactingFormatter(new SimpleFormatter()));
        Level level = Level.parse(System.getenv().getOrDefault("PRETRAIN4J_LOG_LEVEL", "INFO"));
        handler.setLevel(level);
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        root.addHandler(handler);
        if (level.intValue() >= Level.INFO.intValue()) {
            // DJL's start-up chatter (GPU probing on CPU-only hosts, engine tips) is not an operator's concern
            QUIETED.get(0).setLevel(Level.WARNING);
            QUIETED.get(1).setLevel(Level.SEVERE);
        }
    }

    /** Formats a record with {@code inner}, then takes every registered secret out of the whole text (message and stack trace). */
    static final class RedactingFormatter extends Formatter {
        private final Formatter inner;

        RedactingFormatter(Formatter inner) {
            this.inner = inner;
        }

        @Override
        public String format(LogRecord record) {
            return Secrets.redact(inner.format(record));
        }
    }
}
