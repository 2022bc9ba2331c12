package io.pretrain4j.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelIdTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final String HASH = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    @Test
    void readsEveryFieldOfTheCurrentForm() {
        ModelId id = ModelId.parse("alice:gpt-tiny:" + COMMIT + ":" + HASH + ":2");
        assertThat(id.namespace()).isEqualTo("alice");
        assertThat(id.name()).isEqualTo("gpt-tiny");
        assertThat(id.repoId()).isEqualTo("alice/gpt-tiny");
        assertThat(id.commit()).contains(COMMIT);
        assertThat(id.secureHash()).contains(HASH);
        assertThat(id.hash()).isEmpty();
        assertThat(id.competitionId()).isEqualTo(2);
        assertThat(id.toChainString()).isEqualTo("alice:gpt-tiny:" + COMMIT + ":" + HASH + ":2");
    }

    @Test
    void readsTheLegacyFourTokenFormAsTheReferenceDoes() {
        ModelId id = ModelId.parse("alice:gpt-tiny:" + COMMIT + ":" + HASH);
        assertThat(id.hash()).contains(HASH);
        assertThat(id.secureHash()).contains(HASH);
        assertThat(id.competitionId()).isZero();
    }

    @Test
    void mapsTheLiteralNoneToAbsent() {
        ModelId id = ModelId.parse("alice:gpt-tiny:None:None:1");
        assertThat(id.commit()).isEmpty();
        assertThat(id.secureHash()).isEmpty();
        assertThat(id.toChainString()).isEqualTo("alice:gpt-tiny:None:None:1");
    }

    @Test
    void theLongestRepoIdFitsTheChainLimit() {
        String name = "n".repeat(ModelId.MAX_REPO_ID_LENGTH - 3);
        ModelId id = ModelId.parse("ab:" + name + ":" + COMMIT + ":" + HASH + ":255");
        assertThat(id.toChainString().length()).isLessThanOrEqualTo(ModelId.MAX_CHAIN_BYTES);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|is empty",
                "alice:gpt:None:None|''",
                "alice:gpt|has 2 ':'-separated tokens",
                "alice:gpt:None:None:1:extra|has 6 ':'-separated tokens",
                "alice::None:None:1|name is empty",
                ":gpt-tiny:None:None:1|namespace is empty",
                "ali/ce:gpt-tiny:None:None:1|'/' at index 3",
                "alice:gpt tiny:None:None:1|' ' at index 3",
                "alice:gpt-tiny:None:None:x1|competition id 'x1' is not a number",
                "alice:gpt-tiny:None:None:-1|competition id '-1' is not a number",
                "alice:gpt-tiny:None:None:256|competition id 256 is outside",
                "alice:gpt-tiny:None:None:|competition id '' is not a number",
                "alice:gpt-tiny:abc:None:1|commit 'abc' is not 40 lowercase hex digits",
                "alice:gpt-tiny:None:not-a-hash:1|secure hash 'not-a-hash' is not a base64 sha256",
                "a:b:None:None:1|repo id 'a/b' is 3 characters",
                "alice:..hidden:None:None:1|may not start or end",
                "None:gpt-tiny:None:None:1|namespace is the literal None",
            })
    void rejectsHostileStringsWithTheReason(String chainString, String reason) {
        if (reason.isEmpty()) {
            assertThat(ModelId.parse(chainString).competitionId()).isZero();
            return;
        }
        assertThatThrownBy(() -> ModelId.parse(chainString))
                .isInstanceOfSatisfying(
                        Pretrain4jException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(DomainErrorCode.INVALID_MODEL_ID))
                .hasMessageContaining(reason);
    }

    @Test
    void rejectsControlCharactersAndNamesTheirPlace() {
        assertThatThrownBy(() -> ModelId.parse("alice:gpt\n:None:None:1"))
                .hasMessageContaining("U+000A at index 9")
                .hasMessageNotContaining("\n:None");
        assertThatThrownBy(() -> ModelId.parse("alice:gpt\u202e:None:None:1")).hasMessageContaining("U+202E");
    }

    @Test
    void rejectsStringsOverTheChainLimitBeforeLookingInside() {
        String huge = "a".repeat(10_000);
        assertThatThrownBy(() -> ModelId.parse(huge))
                .hasMessageContaining("is 10000 bytes; the chain allows at most 128")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400));
    }

    @Test
    void rejectsRepoIdsOverThirtyEightCharacters() {
        String name = "n".repeat(36);
        assertThatThrownBy(() -> ModelId.parse("abc:" + name + ":None:None:1"))
                .hasMessageContaining("is 40 characters; allowed are 4..38");
    }

    @Test
    void validatesRepoIdsLikeTheReference() {
        ModelId.validateRepoId("alice/gpt-tiny");
        assertThatThrownBy(() -> ModelId.validateRepoId("alice/gpt/tiny")).hasMessageContaining("exactly one '/'");
        assertThatThrownBy(() -> ModelId.validateRepoId("alicegpt")).hasMessageContaining("exactly one '/'");
    }

    @Test
    void ofValidatesAsParseDoes() {
        assertThatThrownBy(() -> ModelId.of("alice", "gpt:x", Optional.empty(), Optional.empty(), Optional.empty(), 0))
                .hasMessageContaining("':' at index 3");
        ModelId id = ModelId.of("alice", "gpt", Optional.of(COMMIT), Optional.empty(), Optional.of(HASH), 4);
        assertThat(ModelId.parse(id.toChainString())).isEqualTo(id);
        assertThat(id.withHash(HASH).hash()).contains(HASH);
    }

    @Test
    void randomValidIdsRoundTripAndRandomMutationsNeverEscapeAsOtherExceptions() {
        SplittableRandom random = new SplittableRandom(7);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
        for (int i = 0; i < 2000; i++) {
            String namespace = randomString(random, alphabet, 1 + random.nextInt(12));
            String name = randomString(random, alphabet, 3 + random.nextInt(20));
            String commit = random.nextBoolean() ? "None" : randomString(random, "0123456789abcdef", 40);
            String chain = namespace + ":" + name + ":" + commit + ":" + HASH + ":" + random.nextInt(256);
            ModelId id = ModelId.parse(chain);
            assertThat(id.toChainString()).isEqualTo(chain);
            assertThat(ModelId.parse(id.toChainString())).isEqualTo(id);

            StringBuilder mutated = new StringBuilder(chain);
            int at = random.nextInt(mutated.length());
            mutated.setCharAt(at, (char) random.nextInt(0x80));
            try {
                ModelId.parse(mutated.toString());
            } catch (Pretrain4jException e) {
                assertThat(e.errorCode()).isEqualTo(DomainErrorCode.INVALID_MODEL_ID);
            }
        }
    }

    private static String randomString(SplittableRandom random, String alphabet, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
