package io.pretrain4j.adapters.chain.subtensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** COMMIT_REVEAL.md's worked examples (issue 21, first slice). */
class WeightCommitsTest {
    private static final byte[] ALICE =
            HexFormat.of().parseHex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");

    @Test
    void theHashCommitOfTheSpecsExample() {
        byte[] hash = WeightCommits.commitHash(
                ALICE, 1, 0, List.of(0, 1), List.of(65535, 32768), List.of(1, 2, 3, 4, 5, 6, 7, 8), 1);
        assertThat(HexFormat.of().formatHex(hash))
                .isEqualTo("b69f8cfa62fbf256a63d03b50785096932c1a19f8939d98011f1944db2b41637");
    }

    @Test
    void theTimelockPlaintextOfTheSpecsExample() {
        byte[] payload = WeightCommits.timelockPayload(ALICE, List.of(0, 1), List.of(65535, 32768), 1);
        assertThat(payload).hasSize(51);
        assertThat(HexFormat.of().formatHex(payload))
                .isEqualTo(
                        "80d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d080000010008ffff00800100000000000000");
    }

    @Test
    void valuesOutsideU16AndBadKeysAreRefused() {
        assertThatThrownBy(() -> WeightCommits.timelockPayload(ALICE, List.of(0), List.of(65536), 1))
                .hasMessageContaining("value 65536 is not a u16");
        assertThatThrownBy(() -> WeightCommits.commitHash(new byte[31], 1, 0, List.of(), List.of(), List.of(), 1))
                .hasMessageContaining("32 bytes");
        assertThat(WeightCommits.netuidIndex(9, 1)).isEqualTo(4105);
    }
}
