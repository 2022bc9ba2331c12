package io.pretrain4j.adapters.chain.subtensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingCommitsTest {
    @TempDir
    Path dir;

    @Test
    void entriesSurviveReopeningAndEveryChangeIsOnDisk() {
        Path file = dir.resolve("commits.json");
        PendingCommits commits = new PendingCommits(file);
        PendingCommits.Entry entry = entry(List.of(1, 2));
        commits.add(entry);
        commits.replace(entry, entry.committed(12, 3, 4, 20));
        PendingCommits reopened = new PendingCommits(file);
        assertThat(reopened.all()).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(PendingCommits.Status.COMMITTED);
            assertThat(e.salt()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
            assertThat(e.revealEpoch()).isEqualTo(4);
        });
        reopened.remove(reopened.all().get(0));
        assertThat(new PendingCommits(file).all()).isEmpty();
    }

    @Test
    void aDamagedFileIsMovedAsideWholeAndNothingInItIsRevealed() throws IOException {
        for (String content : List.of(
                "{not json",
                "[{\"kind\":\"HASH\"}]",
                "null",
                "[" + json(70_000) + "]",
                "[" + json(1).replace("\"hash\":\"" + "a".repeat(64), "\"hash\":\"zz") + "]")) {
            Path file = dir.resolve("commits.json");
            Files.writeString(file, content);
            assertThat(new PendingCommits(file).all()).as(content).isEmpty();
            assertThat(file).doesNotExist();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .hasSize(5)
                    .allMatch(name -> name.startsWith("commits.json.bad-"));
        }
    }

    private static PendingCommits.Entry entry(List<Integer> uids) {
        return new PendingCommits.Entry(
                PendingCommits.Kind.HASH,
                PendingCommits.Status.PREPARED,
                "5Hk",
                9,
                uids,
                List.of(5, 6),
                List.of(1, 2, 3, 4, 5, 6, 7, 8),
                0,
                "a".repeat(64),
                10,
                0,
                2,
                3,
                15,
                0);
    }

    private static String json(int uid) {
        return "{\"kind\":\"HASH\",\"status\":\"COMMITTED\",\"hotkey\":\"5Hk\",\"netuid\":9,\"uids\":[" + uid
                + "],\"values\":[1],\"salt\":[1],"
                + "\"versionKey\":0,\"hash\":\"" + "a".repeat(64)
                + "\",\"preparedAtBlock\":1,\"commitBlock\":2,\"commitEpoch\":0,"
                + "\"revealEpoch\":1,\"revealBlock\":10,\"round\":0}";
    }
}
