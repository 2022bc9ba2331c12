package io.pretrain4j.adapters.chain.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainAdmin;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writer processes commit for their hotkeys and one reader reads, all on one chain directory,
 * for {@code -Dpretrain4j.chain.stress.seconds} (8 by default; the minute is
 * {@code -Dpretrain4j.chain.stress.seconds=60}). Meanwhile a third writer is killed with SIGKILL, and
 * a torn entry is written exactly as a writer killed mid-write leaves it. Then: every acknowledged
 * commitment is in the log, no entry is torn, the rate limit held for every hotkey, the reader saw
 * only whole commitments, and the chain still works.
 */
class LocalChainProcessesIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void twoWritersAndAReaderForAWhileWithAKilledWriterAndATornEntry() throws Exception {
        int seconds = Integer.getInteger("pretrain4j.chain.stress.seconds", 8);
        Path chainDir = dir.resolve("chain");
        // create it first, with the hotkeys registered
        try (Chain chain = new LocalChainFactory()
                .create(Map.of("dir", chainDir.toString(), "block-time", "20ms", "commit-rate-limit", "5"))) {
            for (int k = 1; k <= 9; k++) {
                ((ChainAdmin) chain).register(LocalChainContractTest.key(k).ss58Address(), "", 0);
            }
        }
        Process writerA =
                start(dir.resolve("a.out"), "writer", chainDir.toString(), Integer.toString(seconds), "1", "3");
        Process writerB =
                start(dir.resolve("b.out"), "writer", chainDir.toString(), Integer.toString(seconds), "4", "3");
        Process reader = start(dir.resolve("r.out"), "reader", chainDir.toString(), Integer.toString(seconds));
        Process victim =
                start(dir.resolve("v.out"), "writer", chainDir.toString(), Integer.toString(seconds), "7", "3");

        Thread.sleep(seconds * 1000L / 3);
        victim.destroyForcibly(); // SIGKILL, possibly mid-write
        victim.waitFor(10, TimeUnit.SECONDS);
        tornWrite(chainDir);

        for (Process process : List.of(writerA, writerB, reader)) {
            assertThat(process.waitFor(seconds + 60L, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue())
                    .as(Files.readString(
                            dir.resolve(process == reader ? "r.out" : process == writerA ? "a.out" : "b.out")))
                    .isZero();
        }

        Map<String, List<Long>> committedBlocks = new HashMap<>();
        List<String> acknowledged = new ArrayList<>();
        for (String out : List.of("a.out", "b.out")) {
            for (String line : Files.readAllLines(dir.resolve(out))) {
                if (line.startsWith("OK ")) {
                    acknowledged.add(line.substring(3));
                }
            }
        }
        List<String> logged = new ArrayList<>();
        for (String line : Files.readAllLines(chainDir.resolve("chain.log"))) {
            String json = line.substring(9);
            CRC32 crc = new CRC32();
            crc.update(json.getBytes(StandardCharsets.UTF_8));
            assertThat(line.substring(0, 8)).as("entry checksum").isEqualTo(String.format("%08x", crc.getValue()));
            JsonNode entry = MAPPER.readTree(json);
            if (entry.path("t").asText().equals("commit")) {
                String record = entry.get("hotkey").asText() + " "
                        + entry.get("data").asText() + " " + entry.get("block").asLong();
                logged.add(record);
                committedBlocks
                        .computeIfAbsent(entry.get("hotkey").asText(), k -> new ArrayList<>())
                        .add(entry.get("block").asLong());
            }
        }
        assertThat(logged).as("no lost writes").containsAll(acknowledged);
        assertThat(acknowledged.size())
                .as("both writers got commitments through")
                .isGreaterThan(2 * seconds);
        for (Map.Entry<String, List<Long>> hotkey : committedBlocks.entrySet()) {
            List<Long> blocks = hotkey.getValue();
            for (int i = 1; i < blocks.size(); i++) {
                assertThat(blocks.get(i) - blocks.get(i - 1))
                        .as("rate limit of " + hotkey.getKey())
                        .isGreaterThanOrEqualTo(5);
            }
        }
        assertThat(Files.readString(dir.resolve("r.out"))).containsPattern("READS [1-9]");
        System.out.printf(
                "chain stress: %d s, %d commitments acknowledged and found, %d rate-limited attempts, %d reads, log %d bytes%n",
                seconds,
                acknowledged.size(),
                limited(),
                Long.parseLong(Files.readString(dir.resolve("r.out")).replaceAll("(?s).*READS (\\d+).*", "$1")),
                Files.size(chainDir.resolve("chain.log")));

        try (Chain chain = new LocalChainFactory().create(Map.of("dir", chainDir.toString()))) {
            Thread.sleep(200);
            long block = chain.commit(LocalChainContractTest.key(1), "ns1:m:ff:h:1");
            assertThat(chain.commitment(LocalChainContractTest.key(1).ss58Address())
                            .orElseThrow()
                            .block())
                    .isEqualTo(block);
        }
    }

    private long limited() throws IOException {
        long total = 0;
        for (String out : List.of("a.out", "b.out")) {
            for (String line : Files.readAllLines(dir.resolve(out))) {
                if (line.startsWith("LIMITED ")) {
                    total += Long.parseLong(line.substring(8));
                }
            }
        }
        return total;
    }

    /** Appends half an entry under the chain's lock, as a writer killed between two write calls leaves it. */
    private static void tornWrite(Path chainDir) throws IOException {
        try (FileChannel lock = FileChannel.open(chainDir.resolve("chain.lock"), StandardOpenOption.WRITE);
                FileLock held = lock.lock();
                FileChannel log = FileChannel.open(
                        chainDir.resolve("chain.log"), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            log.write(ByteBuffer.wrap("0badc0de {\"t\":\"commit\",\"hotkey\":\"5".getBytes(StandardCharsets.UTF_8)));
            log.force(false);
        }
    }

    private Process start(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChainStress.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
    }
}
