package io.pretrain4j.app.validator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.launcher.cli.Failures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wallet create/show/list} and {@code chain register/advance/status} on the local chain, through configuration. */
class ChainCommandTest {
    @Test
    void createAWalletRegisterItAndSeeItInTheStatus(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("v.conf");
        Files.writeString(
                config,
                "pretrain4j.chain.backend-config { dir = \"" + dir.resolve("chain") + "\", block-time = 0 }\n"
                        + "pretrain4j.wallets.backend-config { path = \"" + dir.resolve("wallets") + "\" }\n");
        CommandRun created =
                CommandRun.of("wallet", "create", "--config", config.toString(), "--name", "vali", "--hotkey", "hk1");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String address =
                ScoreCommand.MAPPER.readTree(created.out()).get("ss58Address").asText();
        assertThat(address).startsWith("5").hasSize(48);
        assertThat(created.out()).doesNotContain("secretSeed");

        CommandRun shown =
                CommandRun.of("wallet", "show", "--config", config.toString(), "--name", "vali", "--hotkey", "hk1");
        assertThat(ScoreCommand.MAPPER.readTree(shown.out()).get("ss58Address").asText())
                .isEqualTo(address);
        assertThat(CommandRun.of("wallet", "list", "--config", config.toString())
                        .out())
                .contains("vali/hk1");

        CommandRun registered = CommandRun.of(
                "chain",
                "register",
                "--config",
                config.toString(),
                "--wallet",
                "vali",
                "--hotkey",
                "hk1",
                "--stake",
                "1000.5");
        assertThat(registered.exitCode()).as(registered.err()).isZero();
        assertThat(ScoreCommand.MAPPER.readTree(registered.out()).get("uid").asInt())
                .isZero();
        CommandRun miner = CommandRun.of(
                "chain",
                "register",
                "--config",
                config.toString(),
                "--hotkey-address",
                "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
        assertThat(ScoreCommand.MAPPER.readTree(miner.out()).get("uid").asInt()).isEqualTo(1);
        assertThat(ScoreCommand.MAPPER
                        .readTree(CommandRun.of("chain", "advance", "--config", config.toString(), "--blocks", "7")
                                .out())
                        .get("block")
                        .asLong())
                .isEqualTo(7);

        JsonNode status = ScoreCommand.MAPPER.readTree(
                CommandRun.of("chain", "status", "--config", config.toString()).out());
        assertThat(status.get("block").asLong()).isEqualTo(7);
        assertThat(status.get("blockHash").asText()).matches("0x[0-9a-f]{64}");
        assertThat(status.get("neurons")).hasSize(2);
        assertThat(status.get("neurons").get(0).get("stakeTao").asText()).isEqualTo("1000.5");
        assertThat(status.get("neurons").get(0).get("validatorPermit").asBoolean())
                .isTrue();
        assertThat(status.get("neurons").get(1).get("validatorPermit").asBoolean())
                .isFalse();

        CommandRun bad =
                CommandRun.of("chain", "register", "--config", config.toString(), "--hotkey-address", "5Nonsense");
        assertThat(bad.exitCode()).isEqualTo(Failures.BAD_INPUT);
        assertThat(bad.err()).contains("is not an SS58 address").doesNotContain("\tat ");
    }

    @Test
    void aHotkeySignsAndTheSignatureVerifiesAgainstItsAddressOnly(@TempDir Path dir) throws Exception {
        String path = dir.resolve("wallets").toString();
        String address = ScoreCommand.MAPPER
                .readTree(CommandRun.of("wallet", "create", "--wallets-path", path, "--name", "v")
                        .out())
                .get("ss58Address")
                .asText();
        CommandRun signed =
                CommandRun.of("wallet", "sign", "--wallets-path", path, "--name", "v", "--message", "hello bittensor");
        assertThat(signed.exitCode()).as(signed.err()).isZero();
        String signature = signed.out().trim();
        assertThat(signature).matches("0x[0-9a-f]{128}");
        CommandRun valid = CommandRun.of(
                "wallet",
                "verify",
                "--wallets-path",
                path,
                "--address",
                address,
                "--message",
                "hello bittensor",
                "--signature",
                signature);
        assertThat(valid.exitCode()).isZero();
        assertThat(valid.out().trim()).isEqualTo("valid");
        CommandRun otherMessage = CommandRun.of(
                "wallet",
                "verify",
                "--wallets-path",
                path,
                "--address",
                address,
                "--message",
                "hello",
                "--signature",
                signature);
        assertThat(otherMessage.exitCode()).isEqualTo(1);
        assertThat(otherMessage.out().trim()).isEqualTo("invalid");
        CommandRun alice = CommandRun.of(
                "wallet",
                "verify",
                "--wallets-path",
                path,
                "--address",
                "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
                "--message",
                "hello bittensor",
                "--signature",
                signature);
        assertThat(alice.out().trim()).isEqualTo("invalid");
        // a signature from the independent vectors (@scure/sr25519, Alice) verifies here too
        CommandRun vector = CommandRun.of(
                "wallet",
                "verify",
                "--wallets-path",
                path,
                "--address",
                "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
                "--message",
                "hello bittensor",
                "--signature",
                "0x260f9d5b0a7bfc5bedd995be1c791011855e2e9b1250d94b720d082fcb2607190b758b613705f7c05d0bfc99cdc8f582e3d69d7925535656ad37a07d30862c85");
        assertThat(vector.out().trim()).isEqualTo("valid");
        CommandRun bad = CommandRun.of(
                "wallet",
                "verify",
                "--wallets-path",
                path,
                "--address",
                address,
                "--message",
                "x",
                "--signature",
                "0x12");
        assertThat(bad.exitCode()).isEqualTo(Failures.BAD_INPUT);
        assertThat(bad.err()).contains("128 hex digits");
        assertThat(signed.out() + signed.err()).doesNotContain("secretSeed");
    }
}
