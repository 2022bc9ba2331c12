package io.pretrain4j.plugins.testkit.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.ModelId;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainErrorCode;
import io.pretrain4j.ports.chain.Commitment;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.Metagraph;
import io.pretrain4j.ports.chain.Neuron;
import io.pretrain4j.ports.chain.WeightsSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Chain} must do, as a JUnit 5 suite. A subclass gives a fresh chain whose
 * commitment and weights rate limits are 100 blocks and whose version key is 5, and the two
 * operations only a development chain (or a fake node) has: registering a hotkey with stake and
 * advancing blocks. {@link #hotkey(int)} gives test hotkeys with real SS58 addresses.
 */
public abstract class ChainContract {
    /** A fresh chain: commit and weights rate limits of 100 blocks, version key 5, blocks on demand. */
    protected abstract Chain createChain();

    /** Registers {@code hotkey} with {@code stakeRao} on {@code chain}. */
    protected abstract void register(Chain chain, Hotkey hotkey, long stakeRao);

    /** Advances {@code chain} by {@code blocks}. */
    protected abstract void advance(Chain chain, long blocks);

    /** A test hotkey (a real keypair derived from {@code n}). */
    protected abstract Hotkey hotkey(int n);

    private static final String MODEL =
            "miner:model:0123456789abcdef0123456789abcdef01234567:" + "x2XaFbmSvhXqbWjvJ/EPxTaOGnBuIyalmGkZXfp6FaQ=:2";

    @Test
    void blocksHaveStableDistinctHashes() {
        try (Chain chain = createChain()) {
            advance(chain, 3);
            long block = chain.currentBlock();
            assertThat(block).isGreaterThanOrEqualTo(3);
            assertThat(chain.blockHash(block)).matches("0x[0-9a-f]{64}").isEqualTo(chain.blockHash(block));
            assertThat(chain.blockHash(block - 1)).isNotEqualTo(chain.blockHash(block));
            assertThatThrownBy(() -> chain.blockHash(block + 1000))
                    .satisfies(e ->
                            assertThat(((Pretrain4jException) e).errorCode()).isEqualTo(ChainErrorCode.UNKNOWN_BLOCK));
        }
    }

    @Test
    void theMetagraphListsRegisteredHotkeysWithPermitsByStake() {
        try (Chain chain = createChain()) {
            register(chain, hotkey(1), 0);
            register(chain, hotkey(2), 2_000_000_000_000L);
            Metagraph metagraph = chain.metagraph();
            assertThat(metagraph.netuid()).isEqualTo(chain.netuid());
            assertThat(metagraph.neurons())
                    .extracting(Neuron::hotkey)
                    .containsExactly(hotkey(1).ss58Address(), hotkey(2).ss58Address());
            assertThat(metagraph.byHotkey(hotkey(2).ss58Address()).orElseThrow().validatorPermit())
                    .isTrue();
            assertThat(metagraph.byHotkey(hotkey(1).ss58Address()).orElseThrow().validatorPermit())
                    .isFalse();
            assertThat(metagraph.byHotkey(hotkey(2).ss58Address()).orElseThrow().stakeTao())
                    .isEqualTo(2000.0);
        }
    }

    @Test
    void aCommitmentIsReadBackWithItsBlockAndParsesAsAModelId() {
        try (Chain chain = createChain()) {
            register(chain, hotkey(1), 0);
            long block = chain.commit(hotkey(1), MODEL);
            Optional<Commitment> read = chain.commitment(hotkey(1).ss58Address());
            assertThat(read).contains(new Commitment(hotkey(1).ss58Address(), MODEL, block));
            assertThat(ModelId.parse(read.orElseThrow().data()).repoId()).isEqualTo("miner/model");
            assertThat(chain.commitments()).containsOnlyKeys(hotkey(1).ss58Address());
            assertThat(chain.commitment(hotkey(2).ss58Address())).isEmpty();
        }
    }

    @Test
    void commitmentsAreBoundedAndRateLimited() {
        try (Chain chain = createChain()) {
            register(chain, hotkey(1), 0);
            assertThatThrownBy(() -> chain.commit(hotkey(1), "x".repeat(129)))
                    .satisfies(e -> assertThat(((Pretrain4jException) e).errorCode())
                            .isEqualTo(ChainErrorCode.COMMITMENT_TOO_LARGE));
            chain.commit(hotkey(1), "x".repeat(128));
            assertThatThrownBy(() -> chain.commit(hotkey(1), MODEL))
                    .satisfies(e ->
                            assertThat(((Pretrain4jException) e).errorCode()).isEqualTo(ChainErrorCode.RATE_LIMITED))
                    .hasMessageContaining("allowed from block");
            advance(chain, 100);
            long block = chain.commit(hotkey(1), MODEL);
            assertThat(chain.commitment(hotkey(1).ss58Address()).orElseThrow().block())
                    .isEqualTo(block);
            assertThatThrownBy(() -> chain.commit(hotkey(3), MODEL))
                    .satisfies(e ->
                            assertThat(((Pretrain4jException) e).errorCode()).isEqualTo(ChainErrorCode.NOT_REGISTERED));
        }
    }

    @Test
    void weightsNeedAPermitAVersionKeyAndRespectTheRateLimit() {
        try (Chain chain = createChain()) {
            register(chain, hotkey(1), 0);
            register(chain, hotkey(2), 1_000_000_000_000L);
            advance(chain, 100);
            assertThatThrownBy(() -> chain.setWeights(hotkey(1), List.of(0, 1), List.of(1, 1), 5))
                    .satisfies(e -> assertThat(((Pretrain4jException) e).errorCode())
                            .isEqualTo(ChainErrorCode.NO_VALIDATOR_PERMIT));
            assertThatThrownBy(() -> chain.setWeights(hotkey(2), List.of(0, 1), List.of(1, 1), 4))
                    .satisfies(e -> assertThat(((Pretrain4jException) e).errorCode())
                            .isEqualTo(ChainErrorCode.VERSION_KEY_TOO_LOW));
            assertThatThrownBy(() -> chain.setWeights(hotkey(2), List.of(0, 0), List.of(1, 1), 5))
                    .satisfies(e -> assertThat(((Pretrain4jException) e).errorCode())
                            .isEqualTo(ChainErrorCode.INVALID_WEIGHTS));
            assertThatThrownBy(() -> chain.setWeights(hotkey(2), List.of(0, 9), List.of(1, 1), 5))
                    .satisfies(e -> assertThat(((Pretrain4jException) e).errorCode())
                            .isEqualTo(ChainErrorCode.INVALID_WEIGHTS));
            long block = chain.setWeights(hotkey(2), List.of(0, 1), List.of(100, 300), 5);
            assertThat(chain.weights(hotkey(2).ss58Address()))
                    .contains(new WeightsSet(new int[] {0, 1}, new int[] {21845, 65535}, block));
            assertThat(chain.metagraph()
                            .byHotkey(hotkey(2).ss58Address())
                            .orElseThrow()
                            .lastUpdate())
                    .isEqualTo(block);
            assertThatThrownBy(() -> chain.setWeights(hotkey(2), List.of(0, 1), List.of(1, 1), 5))
                    .satisfies(e ->
                            assertThat(((Pretrain4jException) e).errorCode()).isEqualTo(ChainErrorCode.RATE_LIMITED));
            advance(chain, 100);
            chain.setWeights(hotkey(2), List.of(0), List.of(7), 6);
            assertThat(chain.weights(hotkey(2).ss58Address()).orElseThrow().weights())
                    .containsExactly(65535);
        }
    }
}
