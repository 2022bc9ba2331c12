package io.pretrain4j.adapters.chain.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.Wallets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void walletFilesRoundTripInTheBittensorFormat(@TempDir Path dir) throws Exception {
        Wallets wallets = new BittensorWalletsFactory().create(Map.of("path", dir.toString()));
        Hotkey created = wallets.create("miner", "default");
        Path file = dir.resolve("miner/hotkeys/default");
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("ss58Address").asText())
                .isEqualTo(created.ss58Address())
                .startsWith("5")
                .hasSize(48);
        assertThat(json.get("secretSeed").asText()).matches("0x[0-9a-f]{64}");
        assertThat(json.get("publicKey").asText())
                .isEqualTo(json.get("accountId").asText());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(wallets.load("miner", "default")).isEqualTo(created);
        assertThat(wallets.list()).containsExactly("miner/default");
        assertThat(wallets.isValidAddress(created.ss58Address())).isTrue();
        assertThat(created.toString())
                .doesNotContain(HEX.formatHex(created.secretSeed()))
                .contains("<hidden>");
        assertThatThrownBy(() -> wallets.create("miner", "default"))
                .hasMessageContaining("refusing to overwrite a key");
    }

    @Test
    void aFileWhoseKeysDisagreeIsRefused(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("w/hotkeys"));
        Files.writeString(
                dir.resolve("w/hotkeys/h"),
                "{\"secretSeed\": \"0xe5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a\","
                        + " \"ss58Address\": \"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty\"}");
        Wallets wallets = new BittensorWalletsFactory().create(Map.of("path", dir.toString()));
        assertThatThrownBy(() -> wallets.load("w", "h"))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining(
                        "does not belong to secretSeed (it gives 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY)");
        Files.writeString(dir.resolve("w/hotkeys/h"), "{\"secretSeed\": \"0x12\"}");
        assertThatThrownBy(() -> wallets.load("w", "h"))
                .hasMessageContaining("'secretSeed' must be 0x and 64 hex digits");
        assertThatThrownBy(() -> wallets.load("w", "../../etc")).hasMessageContaining("wallet and hotkey names are");
    }

    @Test
    void aColdkeysAddressComesFromItsPublicFileOnly(@TempDir Path dir) throws Exception {
        Wallets wallets = new BittensorWalletsFactory().create(Map.of("path", dir.toString()));
        assertThat(wallets.coldkeyAddress("owner")).isEmpty();
        Files.createDirectories(dir.resolve("owner"));
        Files.writeString(dir.resolve("owner/coldkey"), "$NACL" + "encrypted bytes we never read");
        Files.writeString(
                dir.resolve("owner/coldkeypub.txt"),
                "{\"accountId\": \"0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d\", "
                        + "\"publicKey\": \"0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d\", "
                        + "\"ss58Address\": \"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\"}");
        assertThat(wallets.coldkeyAddress("owner")).contains("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
        Files.writeString(
                dir.resolve("owner/coldkeypub.txt"),
                "{\"publicKey\": \"0x00\", \"ss58Address\": \"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\"}");
        assertThatThrownBy(() -> wallets.coldkeyAddress("owner"))
                .hasMessageContaining("publicKey does not match ss58Address");
        assertThatThrownBy(() -> wallets.coldkeyAddress("../etc")).hasMessageContaining("wallet names are letters");
    }
}
