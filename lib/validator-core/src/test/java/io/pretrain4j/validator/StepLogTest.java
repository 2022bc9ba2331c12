package io.pretrain4j.validator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepLogTest {
    /** Issue 20: a step published again after a crash is not written twice; a line torn by a crash is cut off first. */
    @Test
    void aHeldStepIsSkippedAndATornLastLineIsCutOff(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state/steps.jsonl");
        StepLog log = new StepLog(file);
        assertThat(log.lastStep()).isEqualTo(Long.MIN_VALUE);
        assertThat(log.append(0, "{\"step\":0}")).isTrue();
        assertThat(log.append(1, "{\"step\":1}")).isTrue();
        assertThat(log.append(1, "{\"step\":1}")).as("held already").isFalse();
        Files.writeString(file, "{\"step\":2,\"ti", java.nio.file.StandardOpenOption.APPEND); // a crash mid-append

        StepLog reopened = new StepLog(file);
        assertThat(reopened.lastStep()).isEqualTo(1);
        assertThat(Files.readString(file)).isEqualTo("{\"step\":0}\n{\"step\":1}\n");
        assertThat(reopened.append(1, "{\"step\":1}")).isFalse();
        assertThat(reopened.append(2, "{\"step\":2}")).isTrue();
        assertThat(Files.readAllLines(file)).containsExactly("{\"step\":0}", "{\"step\":1}", "{\"step\":2}");
        if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }
    }
}
