package io.pretrain4j.validator.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.Secrets;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.toolkit.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The {@link StateStore} on a JSON file, {@code state.json}. Writes go to a temporary file that is
 * forced to disk and then renamed over the old one, so a crash at any moment leaves either the previous
 * or the new state. A file that cannot be read, or was written in another format, is moved aside to
 * {@code state.json.bad-<time>} with a log line and the validator starts clean.
 */
final class JsonStateStore implements StateStore {
    static final String FILE = "state.json";
    private static final System.Logger LOG = System.getLogger(JsonStateStore.class.getName());
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    /** Larger than any real state (65,536 models with full histories is about 60 MB); a bigger file is not read. */
    static final long MAX_FILE_BYTES = 512L << 20;
    /** A step counter beyond this is corruption, not history (2^53: a step a millisecond for 285,000 years). */
    static final long MAX_STEP = 1L << 53;

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxStringLength(1 << 20)
                            .maxNumberLength(64)
                            .build())
                    .build())
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final Path directory;
    private final Clock clock;

    JsonStateStore(Path directory, Clock clock) {
        this.directory = requireNonNull(directory, "directory is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    Path file() {
        return directory.resolve(FILE);
    }

    /**
     * The saved state, or a fresh one when there is none, it is unreadable (moved aside) or it was
     * written under another version key (its evaluations are dropped, as the reference does; the
     * competition weights are kept).
     */
    @Override
    public ValidatorState load(long versionKey) {
        Path file = file();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            LOG.log(System.Logger.Level.INFO, "No state at {0}: starting clean", file);
            return fresh(versionKey);
        }
        ValidatorState state;
        try {
            JsonNode tree = readTree(file);
            if (tree == null || !tree.isObject()) {
                throw new IOException("not a JSON object");
            }
            JsonNode format = tree.get("format");
            if (format == null || !format.isInt() || format.asInt() != ValidatorState.FORMAT) {
                throw new IOException("state format " + format + " is not " + ValidatorState.FORMAT
                        + " (written by another release)");
            }
            state = MAPPER.treeToValue(tree, ValidatorState.class);
            StateCheck.check(state, MAX_STEP);
        } catch (IOException | RuntimeException e) {
            String stamp = FILE + ".bad-" + STAMP.format(clock.instant());
            Path aside = directory.resolve(stamp);
            for (int n = 2; Files.exists(aside); n++) {
                aside = directory.resolve(stamp + "-" + n);
            }
            try {
                Files.move(file, aside);
            } catch (IOException moveFailure) {
                throw new Pretrain4jException(
                        PortErrorCode.INVALID_CONFIG,
                        "state file " + file + " is unreadable (" + e.getMessage() + ") and cannot be moved aside: "
                                + moveFailure,
                        moveFailure);
            }
            LOG.log(
                    System.Logger.Level.WARNING,
                    "State file {0} is unreadable ({1}); moved it to {2} and starting clean",
                    file,
                    oneLine(e),
                    aside);
            return fresh(versionKey);
        }
        if (state.versionKey != versionKey) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "State was written under version key {0}, this validator runs {1}: every model will be "
                            + "evaluated again (running competition weights are kept)",
                    state.versionKey,
                    versionKey);
            state.restartEvaluations(versionKey);
        }
        LOG.log(
                System.Logger.Level.INFO,
                "Restored state from {0}: step {1}, {2} tracked model(s), {3} competition(s) with weights",
                file,
                state.globalStep,
                state.models.size(),
                state.competitionWeights.size());
        return state;
    }

    @Override
    public Optional<ValidatorState> peek() {
        try {
            if (!Files.exists(file(), LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            JsonNode tree = readTree(file());
            if (tree == null || !tree.isObject() || tree.path("format").asInt() != ValidatorState.FORMAT) {
                return Optional.empty();
            }
            ValidatorState state = MAPPER.treeToValue(tree, ValidatorState.class);
            StateCheck.check(state, MAX_STEP);
            return Optional.of(state);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot read {0}: {1}", file(), oneLine(e));
            return Optional.empty();
        }
    }

    @Override
    public String location() {
        return file().toString();
    }

    @Override
    public void save(ValidatorState state) {
        try {
            // reasons quote what servers answered; a server that echoed a token must not put it on disk
            byte[] bytes = Secrets.redact(MAPPER.writeValueAsString(state)).getBytes(StandardCharsets.UTF_8);
            // owner-only: the state holds rejection reasons, which quote what servers answered
            AtomicFiles.write(file(), bytes, AtomicFiles.Access.OWNER_ONLY);
        } catch (IOException e) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG, "cannot write the state to " + file() + ": " + e, e);
        }
    }

    /**
     * The file's JSON, read only when it is a regular file (a FIFO or device would block or never
     * end) of at most {@link #MAX_FILE_BYTES}; symbolic links are not followed.
     */
    private static JsonNode readTree(Path file) throws IOException {
        BasicFileAttributes attributes =
                Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new IOException("not a regular file ("
                    + (attributes.isDirectory()
                            ? "a directory"
                            : attributes.isSymbolicLink() ? "a symbolic link" : "a FIFO, socket or device")
                    + ")");
        }
        if (attributes.size() > MAX_FILE_BYTES) {
            throw new IOException(
                    attributes.size() + " bytes, more than the " + (MAX_FILE_BYTES >> 20) + " MB a state can be");
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IOException("more than the " + (MAX_FILE_BYTES >> 20) + " MB a state can be");
            }
            try (JsonParser parser = MAPPER.createParser(bytes)) {
                try {
                    return MAPPER.readTree(parser);
                } catch (JsonProcessingException e) {
                    JsonLocation at = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
                    throw new IOException(
                            e.getOriginalMessage() + " at line " + at.getLineNr() + ", column " + at.getColumnNr(), e);
                }
            }
        }
    }

    private static ValidatorState fresh(long versionKey) {
        return new ValidatorState(versionKey);
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.replaceAll("\\s+", " ");
    }
}
