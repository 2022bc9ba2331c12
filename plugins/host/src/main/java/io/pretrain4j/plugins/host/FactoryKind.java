package io.pretrain4j.plugins.host;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.ports.NamedFactory;
import io.pretrain4j.ports.chain.ChainFactory;
import io.pretrain4j.ports.chain.WalletsFactory;
import io.pretrain4j.ports.dataset.DatasetFactory;
import io.pretrain4j.ports.dataset.TokenizerFactory;
import io.pretrain4j.ports.inference.InferenceBackendFactory;
import io.pretrain4j.ports.runlog.RunLoggerFactory;
import io.pretrain4j.ports.scoring.ScoringPolicyFactory;
import io.pretrain4j.ports.spi.Plugin;
import io.pretrain4j.ports.store.LocalModelStoreFactory;
import io.pretrain4j.ports.store.RemoteModelStoreFactory;
import io.pretrain4j.ports.training.TrainingBackendFactory;
import java.util.List;
import java.util.function.Function;

/**
 * A kind of factory the SPI offers, with how to read it off a plugin.
 *
 * @param label how people call it, e.g. {@code scoring policy}
 * @param type the factory interface
 * @param lister reads the plugin's factories of this kind
 * @param <F> the factory interface
 */
public record FactoryKind<F extends NamedFactory<?>>(String label, Class<F> type, Function<Plugin, List<F>> lister) {
    /** Scoring policies. */
    public static final FactoryKind<ScoringPolicyFactory> SCORING_POLICY =
            new FactoryKind<>("scoring policy", ScoringPolicyFactory.class, Plugin::scoringPolicyFactories);

    /** Inference backends. */
    public static final FactoryKind<InferenceBackendFactory> INFERENCE_BACKEND =
            new FactoryKind<>("inference backend", InferenceBackendFactory.class, Plugin::inferenceBackendFactories);

    /** Datasets. */
    public static final FactoryKind<DatasetFactory> DATASET =
            new FactoryKind<>("dataset", DatasetFactory.class, Plugin::datasetFactories);

    /** Tokenizers (a factory reproduces one or more Hugging Face tokenizer ids). */
    public static final FactoryKind<TokenizerFactory> TOKENIZER =
            new FactoryKind<>("tokenizer", TokenizerFactory.class, Plugin::tokenizerFactories);

    /** Remote model stores. */
    public static final FactoryKind<RemoteModelStoreFactory> REMOTE_MODEL_STORE =
            new FactoryKind<>("remote model store", RemoteModelStoreFactory.class, Plugin::remoteModelStoreFactories);

    /** Local model stores. */
    public static final FactoryKind<LocalModelStoreFactory> LOCAL_MODEL_STORE =
            new FactoryKind<>("local model store", LocalModelStoreFactory.class, Plugin::localModelStoreFactories);

    /** Chains. */
    public static final FactoryKind<ChainFactory> CHAIN =
            new FactoryKind<>("chain", ChainFactory.class, Plugin::chainFactories);

    /** Wallets (key files). */
    public static final FactoryKind<WalletsFactory> WALLETS =
            new FactoryKind<>("wallets", WalletsFactory.class, Plugin::walletsFactories);

    /** Training backends (the miner's). */
    public static final FactoryKind<TrainingBackendFactory> TRAINING_BACKEND =
            new FactoryKind<>("training backend", TrainingBackendFactory.class, Plugin::trainingBackendFactories);

    /** Run loggers (where a validator reports its steps). */
    public static final FactoryKind<RunLoggerFactory> RUN_LOGGER =
            new FactoryKind<>("run logger", RunLoggerFactory.class, Plugin::runLoggerFactories);

    /** Every kind, in listing order. */
    public static final List<FactoryKind<?>> ALL = List.of(
            SCORING_POLICY,
            INFERENCE_BACKEND,
            DATASET,
            TOKENIZER,
            REMOTE_MODEL_STORE,
            LOCAL_MODEL_STORE,
            CHAIN,
            WALLETS,
            TRAINING_BACKEND,
            RUN_LOGGER);

    public FactoryKind {
        requireNonNull(label, "label is null");
        requireNonNull(type, "type is null");
        requireNonNull(lister, "lister is null");
    }
}
