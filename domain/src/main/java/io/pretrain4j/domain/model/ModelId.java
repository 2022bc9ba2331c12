package io.pretrain4j.domain.model;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity of a published model, as miners commit it on chain.
 *
 * <p>Chain form (reference {@code ModelId.to_compressed_str}):
 * {@code namespace:name:commit:secure_hash:competition_id}, where a missing value is the literal
 * {@code None}. The legacy 4-token form {@code namespace:name:commit:hash} (before August 2024)
 * reads as hash = secure hash = the fourth token and competition 0, as the reference reads it.
 * Parsing is stricter than the reference: anything that could not name a real Hugging Face
 * revision is rejected here, with the reason, rather than later by a failed download.
 */
public final class ModelId {
    /** Most bytes a commitment may hold on chain ({@code MAX_METADATA_BYTES}). */
    public static final int MAX_CHAIN_BYTES = 128;
    /** Longest {@code namespace/name} that still fits the chain string ({@code MAX_REPO_ID_LENGTH}). */
    public static final int MAX_REPO_ID_LENGTH = 38;
    /** The reference's spelling of a missing value. */
    public static final String NONE = "None";

    private static final int MAX_COMPETITION_ID = 255;

    private final String namespace;
    private final String name;
    private final String commit;
    private final String hash;
    private final String secureHash;
    private final int competitionId;

    private ModelId(String namespace, String name, String commit, String hash, String secureHash, int competitionId) {
        this.namespace = namespace;
        this.name = name;
        this.commit = commit;
        this.hash = hash;
        this.secureHash = secureHash;
        this.competitionId = competitionId;
    }

    /**
     * Creates a validated id.
     *
     * @param commit 40 hex digits, or empty
     * @param hash the directory hash (44 base64 characters), or empty
     * @param secureHash the hotkey-salted hash (44 base64 characters), or empty
     */
    public static ModelId of(
            String namespace,
            String name,
            Optional<String> commit,
            Optional<String> hash,
            Optional<String> secureHash,
            int competitionId) {
        requireNonNull(commit, "commit is null");
        requireNonNull(hash, "hash is null");
        requireNonNull(secureHash, "secureHash is null");
        String context = "model id";
        checkRepoId(context, requireNonNull(namespace, "namespace is null"), requireNonNull(name, "name is null"));
        commit.ifPresent(value -> checkCommit(context, value));
        hash.ifPresent(value -> checkHash(context, "hash", value));
        secureHash.ifPresent(value -> checkHash(context, "secure hash", value));
        if (competitionId < 0 || competitionId > MAX_COMPETITION_ID) {
            throw invalid(context, "competition id " + competitionId + " is outside 0.." + MAX_COMPETITION_ID);
        }
        return new ModelId(
                namespace, name, commit.orElse(null), hash.orElse(null), secureHash.orElse(null), competitionId);
    }

    /**
     * Parses a chain commitment string.
     *
     * @throws Pretrain4jException with {@link DomainErrorCode#INVALID_MODEL_ID} naming what is wrong
     */
    public static ModelId parse(String chainString) {
        if (chainString == null || chainString.isEmpty()) {
            throw invalid("chain string", "is empty");
        }
        String context = "chain string '" + printable(chainString) + "'";
        int bytes = chainString.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_CHAIN_BYTES) {
            throw invalid(context, "is " + bytes + " bytes; the chain allows at most " + MAX_CHAIN_BYTES);
        }
        for (int i = 0; i < chainString.length(); i++) {
            char c = chainString.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw invalid(
                        context,
                        String.format(
                                Locale.ROOT,
                                "has character U+%04X at index %d; only printable ASCII is allowed",
                                (int) c,
                                i));
            }
        }
        String[] tokens = chainString.split(":", -1);
        if (tokens.length != 4 && tokens.length != 5) {
            throw invalid(
                    context,
                    "has " + tokens.length + " ':'-separated tokens; expected 5 "
                            + "(namespace:name:commit:secure_hash:competition_id) or the legacy 4 (namespace:name:commit:hash)");
        }
        checkRepoId(context, tokens[0], tokens[1]);
        String commit = noneToNull(tokens[2]);
        if (commit != null) {
            checkCommit(context, commit);
        }
        String fourth = noneToNull(tokens[3]);
        if (fourth != null) {
            checkHash(context, tokens.length == 5 ? "secure hash" : "hash", fourth);
        }
        if (tokens.length == 4) {
            return new ModelId(tokens[0], tokens[1], commit, fourth, fourth, 0);
        }
        return new ModelId(tokens[0], tokens[1], commit, null, fourth, parseCompetitionId(context, tokens[4]));
    }

    /** The chain form, {@code namespace:name:commit:secure_hash:competition_id}. */
    public String toChainString() {
        return namespace + ":" + name + ":" + orNone(commit) + ":" + orNone(secureHash) + ":" + competitionId;
    }

    /** The Hugging Face repo id, {@code namespace/name}. */
    public String repoId() {
        return namespace + "/" + name;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    public Optional<String> commit() {
        return Optional.ofNullable(commit);
    }

    public Optional<String> hash() {
        return Optional.ofNullable(hash);
    }

    public Optional<String> secureHash() {
        return Optional.ofNullable(secureHash);
    }

    public int competitionId() {
        return competitionId;
    }

    /** A copy with the directory hash set, as the validator knows it after download. */
    public ModelId withHash(String newHash) {
        return of(namespace, name, commit(), Optional.of(newHash), secureHash(), competitionId);
    }

    /**
     * Validates a Hugging Face repo id as the reference's {@code validate_hf_repo_id} does (exactly one
     * {@code /}, 3 &lt; length &lt;= 38), plus the Hub's character set.
     */
    public static void validateRepoId(String repoId) {
        requireNonNull(repoId, "repoId is null");
        int slash = repoId.indexOf('/');
        if (slash < 0 || repoId.indexOf('/', slash + 1) >= 0) {
            throw invalid("repo id '" + printable(repoId) + "'", "must contain exactly one '/'");
        }
        checkRepoId("repo id '" + printable(repoId) + "'", repoId.substring(0, slash), repoId.substring(slash + 1));
    }

    private static void checkRepoId(String context, String namespace, String name) {
        checkRepoPart(context, "namespace", namespace);
        checkRepoPart(context, "name", name);
        int length = namespace.length() + 1 + name.length();
        if (length <= 3 || length > MAX_REPO_ID_LENGTH) {
            throw invalid(
                    context,
                    "repo id '" + namespace + "/" + name + "' is " + length + " characters; allowed are 4.."
                            + MAX_REPO_ID_LENGTH);
        }
    }

    private static void checkRepoPart(String context, String what, String value) {
        if (value.isEmpty()) {
            throw invalid(context, what + " is empty");
        }
        if (value.equals(NONE)) {
            throw invalid(context, what + " is the literal None");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.';
            if (!allowed) {
                throw invalid(
                        context,
                        what + " '" + printable(value) + "' has '" + printable(String.valueOf(c)) + "' at index " + i
                                + "; allowed are letters, digits, '-', '_' and '.'");
            }
        }
        if (value.startsWith("-")
                || value.startsWith(".")
                || value.endsWith("-")
                || value.endsWith(".")
                || value.contains("--")
                || value.contains("..")) {
            throw invalid(
                    context, what + " '" + value + "' may not start or end with '-' or '.', nor contain '--' or '..'");
        }
    }

    private static void checkCommit(String context, String commit) {
        if (commit.length() != 40 || !commit.chars().allMatch(ModelId::isLowerHex)) {
            throw invalid(context, "commit '" + printable(commit) + "' is not 40 lowercase hex digits");
        }
    }

    private static void checkHash(String context, String what, String value) {
        boolean valid = value.length() == 44 && value.endsWith("=");
        if (valid) {
            try {
                valid = Base64.getDecoder().decode(value).length == 32;
            } catch (IllegalArgumentException e) {
                valid = false;
            }
        }
        if (!valid) {
            throw invalid(context, what + " '" + printable(value) + "' is not a base64 sha256 digest (44 characters)");
        }
    }

    private static int parseCompetitionId(String context, String token) {
        if (token.isEmpty() || token.length() > 3 || !token.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(
                    context, "competition id '" + printable(token) + "' is not a number 0.." + MAX_COMPETITION_ID);
        }
        int value = Integer.parseInt(token);
        if (value > MAX_COMPETITION_ID) {
            throw invalid(context, "competition id " + value + " is outside 0.." + MAX_COMPETITION_ID);
        }
        return value;
    }

    private static boolean isLowerHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    private static String noneToNull(String token) {
        return NONE.equals(token) ? null : token;
    }

    private static String orNone(String value) {
        return value == null ? NONE : value;
    }

    /** Escapes what a log or terminal should not see raw, and shortens long hostile input. */
    static String printable(String value) {
        StringBuilder out = new StringBuilder();
        int limit = Math.min(value.length(), 160);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > limit) {
            out.append("...(").append(value.length()).append(" chars)");
        }
        return out.toString();
    }

    private static Pretrain4jException invalid(String context, String reason) {
        return new Pretrain4jException(DomainErrorCode.INVALID_MODEL_ID, "Invalid " + context + ": " + reason);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelId other
                && competitionId == other.competitionId
                && namespace.equals(other.namespace)
                && name.equals(other.name)
                && Objects.equals(commit, other.commit)
                && Objects.equals(hash, other.hash)
                && Objects.equals(secureHash, other.secureHash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, name, commit, hash, secureHash, competitionId);
    }

    @Override
    public String toString() {
        return repoId() + "@" + orNone(commit) + " (competition " + competitionId + ")";
    }
}
