package io.pretrain4j.crypto.sr25519;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretrain4j.crypto.ss58.Ss58;
import java.io.InputStream;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** sr25519 against independent vectors (and our signatures, which @scure/sr25519 verifies), and SS58. */
class Sr25519Test {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void publicKeysEqualTheIndependentSr25519Vectors() throws Exception {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("/vectors/sr25519.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode vector : vectors.get("vectors")) {
            byte[] seed = HEX.parseHex(vector.get("miniSecretSeed").asText());
            assertThat(HEX.formatHex(Sr25519.publicKey(seed)))
                    .as(vector.get("key").asText())
                    .isEqualTo(vector.get("publicKey").asText());
            seen.add(vector.get("key").asText());
        }
        assertThat(seen).contains("alice");
    }

    @Test
    void everyIndependentSignatureVerifiesAndTamperedOnesDoNot() throws Exception {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("/vectors/sr25519.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
        int checked = 0;
        for (JsonNode vector : vectors.get("vectors")) {
            byte[] publicKey = HEX.parseHex(vector.get("publicKey").asText());
            byte[] message = HEX.parseHex(vector.get("messageHex").asText());
            byte[] signature = HEX.parseHex(vector.get("signature").asText());
            String what =
                    vector.get("key").asText() + "/" + vector.get("messageUtf8").asText();
            assertThat(Sr25519.verify(publicKey, message, signature))
                    .as(what)
                    .isEqualTo(vector.get("verifies").asBoolean());
            byte[] otherMessage = java.util.Arrays.copyOf(message, message.length + 1);
            assertThat(Sr25519.verify(publicKey, otherMessage, signature))
                    .as(what + " longer message")
                    .isFalse();
            byte[] flipped = signature.clone();
            flipped[5] ^= 1;
            assertThat(Sr25519.verify(publicKey, message, flipped))
                    .as(what + " flipped R")
                    .isFalse();
            byte[] unmarked = signature.clone();
            unmarked[63] &= 0x7f;
            assertThat(Sr25519.verify(publicKey, message, unmarked))
                    .as(what + " without the marker bit")
                    .isFalse();
            byte[] otherKey = Sr25519.publicKey(new byte[32]);
            if (!java.util.Arrays.equals(otherKey, publicKey)) {
                assertThat(Sr25519.verify(otherKey, message, signature))
                        .as(what + " other key")
                        .isFalse();
            }

            byte[] seed = HEX.parseHex(vector.get("miniSecretSeed").asText());
            byte[] ours = Sr25519.sign(seed, message);
            assertThat(Sr25519.verify(publicKey, message, ours))
                    .as(what + " our signature")
                    .isTrue();
            assertThat(Sr25519.sign(seed, message)).as("randomised").isNotEqualTo(ours);
            checked++;
        }
        assertThat(checked).isEqualTo(9);
    }

    /**
     * Signatures made by {@link Sr25519#sign} and committed as a fixture; the independent check is
     * {@code src/test/node/verify_signatures.mjs}, which verifies every one with @scure/sr25519.
     */
    @Test
    void ourCommittedSignaturesVerify() throws Exception {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("/vectors/sr25519-pretrain4j.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
        assertThat(vectors.get("vectors")).hasSize(12);
        for (JsonNode vector : vectors.get("vectors")) {
            assertThat(Sr25519.verify(
                            HEX.parseHex(vector.get("publicKey").asText()),
                            HEX.parseHex(vector.get("messageHex").asText()),
                            HEX.parseHex(vector.get("signature").asText())))
                    .as(vector.get("key").asText())
                    .isTrue();
        }
    }

    @Test
    void ss58OfAliceIsTheWellKnownAddress() {
        byte[] alice = HEX.parseHex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
        assertThat(Ss58.encode(alice)).isEqualTo("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
        assertThat(Ss58.decode("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"))
                .hasValueSatisfying(key -> assertThat(key).isEqualTo(alice));
        assertThat(Ss58.decode("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ"))
                .as("checksum")
                .isEmpty();
        assertThat(Ss58.decode("0GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"))
                .as("not base58")
                .isEmpty();
        assertThat(Ss58.decode("short")).isEmpty();
        // issue 19.4: a leading '1' is a zero byte in base58; the payload then has a 0x00 prefix byte, not 42
        assertThat(Ss58.decode("15GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"))
                .as("a '1' prepended")
                .isEmpty();
        assertThat(Ss58.decode("1115GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"))
                .as("three '1's prepended")
                .isEmpty();
    }
}
