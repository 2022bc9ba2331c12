package io.pretrain4j.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.toolkit.files.AtomicFiles;
import io.pretrain4j.toolkit.http.RetryAfter;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesReplaceWholeFilesAndLeaveNoTemporaries() throws Exception {
        Path target = dir.resolve("a/b/state.json");
        AtomicFiles.writeString(target, "first");
        AtomicFiles.write(target, "second".getBytes());
        assertThat(target).hasContent("second");
        // a failing writer leaves the old file whole and no temporary behind
        assertThatThrownBy(() -> AtomicFiles.write(
                        target,
                        out -> {
                            out.write("half of the th".getBytes());
                            throw new IOException("disk full");
                        },
                        AtomicFiles.Access.DEFAULT))
                .hasMessage("disk full");
        assertThat(target).hasContent("second");
        // concurrent writers of one file: each write is whole
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            Stream<Future<?>> writes = java.util.stream.IntStream.range(0, 40)
                    .mapToObj(i -> pool.submit(() -> {
                        AtomicFiles.writeString(target, ("writer " + i + " ").repeat(2000));
                        return null;
                    }));
            for (Future<?> f : writes.toList()) {
                f.get();
            }
        }
        assertThat(Files.readString(target)).matches("(writer (\\d+) )\\1{1999}");
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state.json");
        }
    }

    @Test
    void ownerOnlyFilesAreNeverReadableByOthers() throws IOException {
        Path target = dir.resolve("secret.json");
        AtomicFiles.write(target, "{}".getBytes(), AtomicFiles.Access.OWNER_ONLY);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                    .isEqualTo("rw-------");
        }
        Path moved = dir.resolve("moved.json");
        AtomicFiles.moveNew(target, moved);
        assertThat(moved).hasContent("{}");
        assertThatThrownBy(() -> AtomicFiles.moveNew(dir.resolve("absent"), moved))
                .isInstanceOf(IOException.class);
    }

    @Test
    void retryAfterIsANumberOfSecondsOrNothing() {
        assertThat(RetryAfter.parse(" 7 ")).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse("0")).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("-1")).isEmpty();
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT")).isEmpty();
        assertThat(RetryAfter.parse("99999999999999999999")).isEmpty();
        assertThat(RetryAfter.or(Optional.of(Duration.ofHours(2)), Duration.ofSeconds(1), Duration.ofMinutes(1)))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(RetryAfter.or(Optional.empty(), Duration.ofSeconds(4), Duration.ofMinutes(1)))
                .isEqualTo(Duration.ofSeconds(4));
    }
}
