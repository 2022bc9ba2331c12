package io.pretrain4j.domain.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackingTest {
    private static final int EOS = 9;

    @Test
    void documentsAreConcatenatedWithOneEosAndTheTailDropped() {
        TokenBuffer buffer = new TokenBuffer(4);
        Packing.appendDocument(buffer, new int[] {1, 2, 3}, EOS);
        Packing.appendDocument(buffer, new int[] {4}, EOS);
        Packing.appendDocument(buffer, new int[] {5, 6, 7, 8, 1}, EOS);
        // 1 2 3 9 | 4 9 5 6 | 7 8 1 9 -> 12 tokens, windows of 4, nothing dropped; of 5: tail of 2 dropped
        assertThat(Packing.windows(buffer, 4))
                .containsExactly(new int[] {1, 2, 3, 9}, new int[] {4, 9, 5, 6}, new int[] {7, 8, 1, 9});
        assertThat(Packing.windows(buffer, 5)).containsExactly(new int[] {1, 2, 3, 9, 4}, new int[] {9, 5, 6, 7, 8});
        assertThat(Packing.windows(buffer, 13)).isEmpty();
    }

    @Test
    void unpackedPadsEachDocumentToAMultipleOfTheLength() {
        List<int[]> windows =
                Packing.unpackedWindows(List.of(new int[] {1, 2, 3}, new int[] {4, 5, 6, 7}, new int[] {8}), EOS, 4);
        assertThat(windows)
                .containsExactly(new int[] {1, 2, 3, EOS}, new int[] {4, 5, 6, 7}, new int[] {8, EOS, EOS, EOS});
    }

    @Test
    void shuffleKeepsAtMostTheLimitAndDependsOnTheSeed() {
        List<int[]> windows = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            windows.add(new int[] {i, i + 1});
        }
        List<int[]> a = Packing.shuffleAndLimit(windows, BigInteger.valueOf(7), Packing.MAX_WINDOWS_PER_DATASET);
        List<int[]> b = Packing.shuffleAndLimit(windows, BigInteger.valueOf(7), Packing.MAX_WINDOWS_PER_DATASET);
        List<int[]> c = Packing.shuffleAndLimit(windows, BigInteger.valueOf(8), Packing.MAX_WINDOWS_PER_DATASET);
        assertThat(a).hasSize(50);
        assertThat(Packing.sameWindows(a, b)).isTrue();
        assertThat(Packing.sameWindows(a, c)).isFalse();
        assertThat(Packing.sha256(a)).isEqualTo(Packing.sha256(b)).isNotEqualTo(Packing.sha256(c));
    }

    @Test
    void sha256IsOverLittleEndianInt32Tokens() {
        // sha256 of bytes 01 00 00 00 | 00 01 00 00 (tokens 1 and 256), computed independently:
        // python3 -c "import hashlib;print(hashlib.sha256(bytes([1,0,0,0,0,1,0,0])).hexdigest())"
        assertThat(Packing.sha256(List.of(new int[] {1}, new int[] {256})))
                .isEqualTo("242045e2f1bb37769b514f182fd91b3d215324cb57f187cced1e9c62921dbac3");
    }
}
