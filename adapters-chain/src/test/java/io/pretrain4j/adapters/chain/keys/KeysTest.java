package io.pretrain4j.adapters.chain.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.Wallets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysTest {
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
            assertThat(HEX.formatHex(Sr25519.publicKey(seed))).as(vector.get("key").asText()).isEqualTo(vector.get("publicKey").asText());
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
            String what = vector.get("key").asText() + "/" + vector.get("messageUtf8").asText();
            assertThat(Sr25519.verify(publicKey, message, signature)).as(what).isEqualTo(vector.get("verifies").asBoolean());
            byte[] otherMessage = java.util.Arrays.copyOf(message, message.length + 1);
            assertThat(Sr25519.verify(publicKey, otherMessage, signature)).as(what + " longer message").isFalse();
            byte[] flipped = signature.clone();
            flipped[5] ^= 1;
            assertThat(Sr25519.verify(publicKey, message, flipped)).as(what + " flipped R").isFalse();
            byte[] unmarked = signature.clone();
            unmarked[63] &= 0x7f;
            assertThat(Sr25519.verify(publicKey, message, unmarked)).as(what + " without the marker bit").isFalse();
            byte[] otherKey = Sr25519.publicKey(new byte[32]);
            if (!java.util.Arrays.equals(otherKey, publicKey)) {
                assertThat(Sr25519.verify(otherKey, message, signature)).as(what + " other key").isFalse();
            }

            byte[] seed = HEX.parseHex(vector.get("miniSecretSeed").asText());
            byte[] ours = Sr25519.sign(seed, message);
            assertThat(Sr25519.verify(publicKey, message, ours)).as(what + " our signature").isTrue();
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
            assertThat(Sr25519.verify(HEX.parseHex(vector.get("publicKey").asText()), HEX.parseHex(vector.get("messageHex").asText()),
                    HEX.parseHex(vector.get("signature").asText()))).as(vector.get("key").asText()).isTrue();
        }
    }

    @Test
    void ss58OfAliceIsTheWellKnownAddress() {
        byte[] alice = HEX.parseHex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
        assertThat(Ss58.encode(alice)).isEqualTo("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
        assertThat(Ss58.decode("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")).hasValueSatisfying(key -> assertThat(key).isEqualTo(alice));
        assertThat(Ss58.decode("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ")).as("checksum").isEmpty();
        assertThat(Ss58.decode("0GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")).as("not base58").isEmpty();
        assertThat(Ss58.decode("short")).isEmpty();
        // issue 19.4: a leading '1' is a zero byte in base58; the payload then has a 0x00 prefix byte, not 42
        assertThat(Ss58.decode("15GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")).as("a '1' prepended").isEmpty();
        assertThat(Ss58.decode("1115GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")).as("three '1's prepended").isEmpty();
    }

    @Test
    void walletFilesRoundTripInTheBittensorFormat(@TempDir Path dir) throws Exception {
        Wallets wallets = new BittensorWalletsFactory().create(Map.of("path", dir.toString()));
        Hotkey created = wallets.create("miner", "default");
        Path file = dir.resolve("miner/hotkeys/default");
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("ss58Address").asText()).isEqualTo(created.ss58Address()).startsWith("5").hasSize(48);
        assertThat(json.get("secretSeed").asText()).matches("0x[0-9a-f]{64}");
        assertThat(json.get("publicKey").asText()).isEqualTo(json.get("accountId").asText());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(wallets.load("miner", "default")).isEqualTo(created);
        assertThat(wallets.list()).containsExactly("miner/default");
        assertThat(wallets.isValidAddress(created.ss58Address())).isTrue();
        assertThat(created.toString()).doesNotContain(HEX.formatHex(created.secretSeed())).contains("<hidden>");
        assertThatThrownBy(() -> wallets.create("miner", "default")).hasMessageContaining("refusing to overwrite a key");
    }

    @Test
    void aFileWhoseKeysDisagreeIsRefused(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("w/hotkeys"));
        Files.writeString(dir.resolve("w/hotkeys/h"), "{\"secretSeed\": \"0xe5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a\","
                + " \"ss58Address\": \"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty\"}");
        Wallets wallets = new BittensorWalletsFactory().create(Map.of("path", dir.toString()));
        assertThatThrownBy(() -> wallets.load("w", "h")).isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("does not belong to secretSeed (it gives 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY)");
        Files.writeString(dir.resolve("w/hotkeys/h"), "{\"secretSeed\": \"0x12\"}");
        assertThatThrownBy(() -> wallets.load("w", "h")).hasMessageContaining("'secretSeed' must be 0x and 64 hex digits");
        assertThatThrownBy(() -> wallets.load("w", "../../etc")).hasMessageContaining("wallet and hotkey names are");
    }

    @Test
    void aColdkeysAddressComesFromItsPublicFileOnly(@TempDir Path dir) throws Exception {
        Wallets wallets = new BittensorWalletsFactory().create(Map.of("path", dir.toString()));
        assertThat(wallets.coldkeyAddress("owner")).isEmpty();
        Files.createDirectories(dir.resolve("owner"));
        Files.writeString(dir.resolve("owner/coldkey"), "$NACL" + "encrypted bytes we never read");
        Files.writeString(dir.resolve("owner/coldkeypub.txt"), "{\"accountId\": \"0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d\", "
                + "\"publicKey\": \"0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d\", "
                + "\"ss58Address\": \"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\"}");
        assertThat(wallets.coldkeyAddress("owner")).contains("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
        Files.writeString(dir.resolve("owner/coldkeypub.txt"), "{\"publicKey\": \"0x00\", \"ss58Address\": \"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\"}");
        assertThatThrownBy(() -> wallets.coldkeyAddress("owner")).hasMessageContaining("publicKey does not match ss58Address");
        assertThatThrownBy(() -> wallets.coldkeyAddress("../etc")).hasMessageContaining("wallet names are letters");
    }
}
