package io.pretrain4j.adapters.chain.local;

import static io.pretrain4j.adapters.chain.local.LocalChainContractTest.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainAdmin;
import io.pretrain4j.ports.chain.ChainErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalChainTest {
    @TempDir
    Path dir;

    private Chain open() {
        return new LocalChainFactory()
                .create(Map.of("dir", dir.toString(), "block-time", "0", "commit-rate-limit", "10"));
    }

    @Test
    void stateSurvivesReopeningAndIsSharedBetweenInstances() {
        try (Chain first = open();
                Chain second = open()) {
            ((ChainAdmin) first).register(key(1).ss58Address(), "", 0);
            long block = first.commit(key(1), "ns/name:c:h:1");
            assertThat(second.commitment(key(1).ss58Address()).orElseThrow().block())
                    .isEqualTo(block);
            ((ChainAdmin) second).advance(10);
            assertThat(first.currentBlock()).isEqualTo(block + 10);
        }
        try (Chain reopened = open()) {
            assertThat(reopened.commitments()).containsOnlyKeys(key(1).ss58Address());
            assertThat(reopened.metagraph().neurons()).hasSize(1);
        }
    }

    @Test
    void aTornTailLeftByAKilledWriterIsIgnoredByReadersAndRepairedByTheNextWriter() throws IOException {
        try (Chain chain = open()) {
            ((ChainAdmin) chain).register(key(1).ss58Address(), "", 0);
            chain.commit(key(1), "before the crash");
        }
        Path log = dir.resolve("chain.log");
        long goodSize = Files.size(log);
        Files.writeString(
                log,
                "1234abcd {\"t\":\"commit\",\"hotkey\":\"" + key(1).ss58Address() + "\",\"data\":\"torn",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (Chain chain = open()) {
            assertThat(chain.commitment(key(1).ss58Address()).orElseThrow().data())
                    .isEqualTo("before the crash");
            ((ChainAdmin) chain).advance(10);
            assertThat(Files.size(log))
                    .as("the torn bytes were dropped before the append")
                    .isGreaterThan(goodSize);
            chain.commit(key(1), "after the crash");
        }
        try (Chain chain = open()) {
            assertThat(chain.commitment(key(1).ss58Address()).orElseThrow().data())
                    .isEqualTo("after the crash");
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).noneMatch(line -> line.contains("torn"));
    }

    @Test
    void aDamagedEntryInTheMiddleIsAClearError() throws IOException {
        try (Chain chain = open()) {
            ((ChainAdmin) chain).register(key(1).ss58Address(), "", 0);
            chain.commit(key(1), "fine");
        }
        Path log = dir.resolve("chain.log");
        String text = Files.readString(log).replace("\"data\":\"fine\"", "\"data\":\"FINE\"");
        Files.writeString(log, text);
        assertThatThrownBy(this::open)
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("checksum mismatch")
                .satisfies(e ->
                        assertThat(((Pretrain4jException) e).errorCode()).isEqualTo(ChainErrorCode.CHAIN_UNAVAILABLE));
    }

    @Test
    void blocksFollowTheClockAndHashesAreDeterministic() throws InterruptedException {
        try (Chain chain = new LocalChainFactory()
                .create(Map.of("dir", dir.resolve("clock").toString(), "block-time", "20ms"))) {
            long start = chain.currentBlock();
            Thread.sleep(120);
            assertThat(chain.currentBlock()).isGreaterThan(start);
            String hash = chain.blockHash(1);
            try (Chain other = new LocalChainFactory()
                    .create(Map.of("dir", dir.resolve("other").toString(), "block-time", "20ms"))) {
                Thread.sleep(40);
                assertThat(other.blockHash(1))
                        .as("same name, same block: same hash")
                        .isEqualTo(hash);
            }
        }
    }

    @Test
    void registrationRejectsBadAddresses() {
        try (Chain chain = open()) {
            assertThatThrownBy(() -> ((ChainAdmin) chain).register("5notanaddress", "", 0))
                    .hasMessageContaining("is not an SS58 address");
            assertThat(((ChainAdmin) chain).register(key(3).ss58Address(), key(4).ss58Address(), 5))
                    .isZero();
            assertThat(((ChainAdmin) chain).register(key(3).ss58Address(), "", 9))
                    .as("re-registering keeps the uid")
                    .isZero();
            assertThat(chain.metagraph().neurons().get(0).stakeRao()).isEqualTo(9);
        }
    }

    @Test
    void withCommitRevealWeightsAreCommittedAndTheChainRevealsThemInTheRevealEpoch() {
        Map<String, String> config = Map.of(
                "dir",
                dir.toString(),
                "block-time",
                "0",
                "weights-rate-limit",
                "0",
                "commit-reveal",
                "true",
                "tempo",
                "10",
                "netuid",
                "9");
        try (Chain validator = new LocalChainFactory().create(config);
                Chain reader = new LocalChainFactory().create(config)) {
            ChainAdmin admin = (ChainAdmin) validator;
            admin.register(key(1).ss58Address(), "", 1_000);
            admin.register(key(2).ss58Address(), "", 0);
            admin.advance(3);
            long block = validator.setWeights(key(1), List.of(0, 1), List.of(10, 20), 0);
            // epoch of block b: (b + 10) / 11; the reveal epoch's first block follows
            long revealBlock = ((block + 10) / 11 + 1) * 11 - 10;
            assertThat(validator.weights(key(1).ss58Address()))
                    .as("not in the clear before the reveal")
                    .isEmpty();
            assertThat(reader.metagraph()
                            .byHotkey(key(1).ss58Address())
                            .orElseThrow()
                            .lastUpdate())
                    .isEqualTo(block);
            admin.advance(revealBlock - block - 1);
            assertThat(reader.weights(key(1).ss58Address())).isEmpty();
            admin.advance(1);
            var revealed = reader.weights(key(1).ss58Address()).orElseThrow();
            assertThat(revealed.block()).isEqualTo(revealBlock);
            assertThat(revealed.uids()).containsExactly(0, 1);
            assertThat(revealed.weights()).containsExactly(32768, 65535);
            // at most ten unrevealed commits per hotkey
            for (int i = 0; i < 10; i++) {
                validator.setWeights(key(1), List.of(1), List.of(i + 1), 0);
            }
            assertThatThrownBy(() -> validator.setWeights(key(1), List.of(1), List.of(5), 0))
                    .satisfies(e ->
                            assertThat(((Pretrain4jException) e).errorCode()).isEqualTo(ChainErrorCode.RATE_LIMITED))
                    .hasMessageContaining("10 unrevealed weight commits");
        }
        // a reopened chain derives the same reveals from its log
        try (Chain reopened = new LocalChainFactory().create(Map.of("dir", dir.toString(), "block-time", "0"))) {
            ((ChainAdmin) reopened).advance(30);
            assertThat(reopened.weights(key(1).ss58Address()).orElseThrow().weights())
                    .containsExactly(65535);
        }
    }
}
