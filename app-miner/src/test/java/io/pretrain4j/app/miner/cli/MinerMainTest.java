package io.pretrain4j.app.miner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MinerMainTest {
    /** The launcher's wallet and chain commands are the miner's too. */
    @Test
    void theMinerOffersTheSharedWalletAndChainCommands(@TempDir Path dir) {
        CommandLine line = MinerMain.commandLine();
        assertThat(line.getSubcommands()).containsKeys("train", "publish", "bench", "wallet", "chain");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MinerMain.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute("wallet", "create", "--wallets-path", dir.toString(), "--name", "miner", "--hotkey", "h1");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"wallet\" : \"miner\"").contains("\"ss58Address\" : \"5");
        assertThat(dir.resolve("miner/hotkeys/h1")).exists();
    }
}
