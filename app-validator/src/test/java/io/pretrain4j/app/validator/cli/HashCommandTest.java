package io.pretrain4j.app.validator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashCommandTest {
    private static final String ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

    /** Expected values computed with CPython's os.walk/hashlib, as the reference does. */
    @Test
    void printsTheReferenceHashAndSecureHash(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.txt"), "hello");
        Files.writeString(Files.createDirectory(dir.resolve("sub")).resolve("b.txt"), "world");
        CommandRun run = CommandRun.of("hash", dir.toString(), "--hotkey", ALICE);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("\"hash\" : \"Vv7ikfZupN/7bS0Sc699LVjNw+h9sZe0exZd/n+KQAI=\"")
                .contains("\"secureHash\" : \"nUp6VNwqQXZtfzTRg08qDjETZL8kj6MSi3JDUJz03Bk=\"");
    }

    @Test
    void withoutAHotkeyOnlyTheHashIsPrinted(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.txt"), "hello");
        CommandRun run = CommandRun.of("hash", dir.toString());
        assertThat(run.out()).contains("\"hash\"").doesNotContain("secureHash");
    }

    @Test
    void badArgumentsExitTwo(@TempDir Path dir) {
        assertThat(CommandRun.of("hash", dir.resolve("missing").toString()).err())
                .contains("is not a directory");
        CommandRun badKey = CommandRun.of("hash", dir.toString(), "--hotkey", "not-an-address");
        assertThat(badKey.exitCode()).isEqualTo(2);
        assertThat(badKey.err()).contains("is not an SS58 address");
    }
}
