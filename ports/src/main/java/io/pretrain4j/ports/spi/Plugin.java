package io.pretrain4j.ports.spi;

import io.pretrain4j.ports.chain.ChainFactory;
import io.pretrain4j.ports.chain.WalletsFactory;
import io.pretrain4j.ports.dataset.DatasetFactory;
import io.pretrain4j.ports.dataset.TokenizerFactory;
import io.pretrain4j.ports.inference.InferenceBackendFactory;
import io.pretrain4j.ports.runlog.RunLoggerFactory;
import io.pretrain4j.ports.scoring.ScoringPolicyFactory;
import io.pretrain4j.ports.store.LocalModelStoreFactory;
import io.pretrain4j.ports.store.RemoteModelStoreFactory;
import io.pretrain4j.ports.training.TrainingBackendFactory;
import java.util.List;

/**
 * The one entry point of pretrain4j's SPI, discovered with {@link java.util.ServiceLoader}: an
 * adapter or a drop-in plugin implements it and overrides only the methods of what it contributes.
 * Each method returns named factories; the host registers them by kind and name.
 *
 * <p>New kinds of factory are added as new default methods, so a plugin built against an older
 * SPI keeps working; {@link #spiVersion()} changes only when a change is not compatible.
 */
public interface Plugin {
    /** The SPI version this build of pretrain4j speaks. */
    int SPI_VERSION = 1;

    /** The SPI version the plugin was built against; the host refuses versions it does not speak. */
    default int spiVersion() {
        return SPI_VERSION;
    }

    /** A short name for listings and errors; the class's simple name by default. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Scoring policies (e.g. {@code reference}, {@code wandb-era}). */
    default List<ScoringPolicyFactory> scoringPolicyFactories() {
        return List.of();
    }

    /** Inference backends (e.g. {@code djl-pytorch}). */
    default List<InferenceBackendFactory> inferenceBackendFactories() {
        return List.of();
    }

    /** Datasets (e.g. {@code local}, {@code hf-rows}). */
    default List<DatasetFactory> datasetFactories() {
        return List.of();
    }

    /** Tokenizers (e.g. {@code jtokkit}, which reproduces {@code gpt2} and {@code Xenova/gpt-4}). */
    default List<TokenizerFactory> tokenizerFactories() {
        return List.of();
    }

    /** Remote model stores (e.g. {@code hf}, {@code local-hub}). */
    default List<RemoteModelStoreFactory> remoteModelStoreFactories() {
        return List.of();
    }

    /** Local model stores (e.g. {@code disk}). */
    default List<LocalModelStoreFactory> localModelStoreFactories() {
        return List.of();
    }

    /** Chains (e.g. {@code local}). */
    default List<ChainFactory> chainFactories() {
        return List.of();
    }

    /** Wallets (e.g. {@code bittensor}). */
    default List<WalletsFactory> walletsFactories() {
        return List.of();
    }

    /** Training backends this plugin contributes (the miner trains through them). */
    default List<TrainingBackendFactory> trainingBackendFactories() {
        return List.of();
    }

    /** Run loggers (e.g. {@code wandb}): where a validator reports its steps. */
    default List<RunLoggerFactory> runLoggerFactories() {
        return List.of();
    }
}
