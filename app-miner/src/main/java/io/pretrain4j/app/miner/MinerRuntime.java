package io.pretrain4j.app.miner;

import com.google.inject.Injector;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.launcher.Chains;
import io.pretrain4j.launcher.Data;
import io.pretrain4j.launcher.Stores;
import io.pretrain4j.launcher.config.ValidatorConfig;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.domain.schedule.CompetitionSchedule;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.plugins.host.PluginRegistry;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.training.TrainingBackend;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.LinkedHashMap;

/** What the miner's commands are wired from: the shared configuration sections plus {@code pretrain4j.miner}. */
public final class MinerRuntime {
    private final ValidatorConfig config;
    private final MinerSettings settings;
    private final PluginRegistry registry;
    private final CompetitionSchedule schedule;

    private MinerRuntime(ValidatorConfig config, MinerSettings settings, PluginRegistry registry, CompetitionSchedule schedule) {
        this.config = config;
        this.settings = settings;
        this.registry = registry;
        this.schedule = schedule;
    }

    /** Loads the configuration (defaults, the optional file, the environment) and discovers plugins. */
    public static MinerRuntime load(Optional<Path> configFile) {
        MinerSettings settings = MinerSettings.from(ValidatorConfig.loadRaw(configFile, System.getenv()));
        Injector injector = Bootstrap.injector(configFile);
        return new MinerRuntime(injector.getInstance(ValidatorConfig.class), settings, injector.getInstance(PluginRegistry.class),
                injector.getInstance(CompetitionSchedule.class));
    }

    public MinerSettings settings() {
        return settings;
    }

    public Data data() {
        return new Data(config, registry);
    }

    public Stores stores() {
        return new Stores(config, registry);
    }

    public Chains chains() {
        return new Chains(config, registry);
    }

    /** The miner's hotkey, or {@code wallet}/{@code hotkey} when given. */
    public Hotkey hotkey(Optional<String> wallet, Optional<String> hotkey) {
        String w = wallet.orElse(settings.wallet());
        String h = hotkey.orElse(settings.hotkey());
        try {
            return chains().wallets(Optional.empty()).load(w, h);
        } catch (Pretrain4jException e) {
            throw new Pretrain4jException(e.errorCode(), "the miner's hotkey " + w + "/" + h + " cannot be loaded: " + e.getMessage()
                    + ". Create one with: bin/pretrain4j wallet create --name " + w + " --hotkey " + h, e);
        }
    }

    /** The training backend ({@code miner.training-backend}) with the inference section's device and threads. */
    public TrainingBackend trainingBackend() {
        Map<String, String> keys = new LinkedHashMap<>(config.inferenceConfig());
        keys.remove("batch-tokens");
        return registry.factory(FactoryKind.TRAINING_BACKEND, settings.trainingBackend()).create(keys);
    }

    /** The validator's inference backend: held-out losses are computed exactly as validators compute them. */
    public InferenceBackend inferenceBackend() {
        return registry.factory(FactoryKind.INFERENCE_BACKEND, config.inferenceBackend()).create(config.inferenceConfig());
    }

    /** The competition {@code id} at the chain's current block, or a clear error listing the active ones. */
    public Competition competition(Chain chain, int id) {
        long block = chain.currentBlock();
        return schedule.competitionAt(block, id).orElseThrow(() -> new Pretrain4jException(PortErrorCode.INVALID_CONFIG,
                "competition " + id + " is not active at block " + block + " of schedule " + schedule.name() + "; active: "
                        + schedule.constraintsAt(block).stream().map(c -> c.id() + " (" + c.name() + ")").toList()));
    }

    public CompetitionSchedule schedule() {
        return schedule;
    }
}
