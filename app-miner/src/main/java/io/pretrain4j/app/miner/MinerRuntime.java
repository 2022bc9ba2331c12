package io.pretrain4j.app.miner;

import com.google.inject.Injector;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.domain.schedule.CompetitionSchedule;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.launcher.Chains;
import io.pretrain4j.launcher.Data;
import io.pretrain4j.launcher.Engines;
import io.pretrain4j.launcher.Stores;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.training.TrainingBackend;
import java.nio.file.Path;
import java.util.Optional;

/** What the miner's commands are wired from: the shared configuration sections plus {@code pretrain4j.miner}, in one injector. */
public final class MinerRuntime {
    private final MinerSettings settings;
    private final Injector injector;
    private final CompetitionSchedule schedule;

    private MinerRuntime(Injector injector) {
        this.injector = injector;
        this.settings = injector.getInstance(MinerSettings.class);
        this.schedule = injector.getInstance(CompetitionSchedule.class);
    }

    /** Loads the configuration (defaults, the optional file, the environment), discovers plugins and wires them. */
    public static MinerRuntime load(Optional<Path> configFile) {
        return new MinerRuntime(Bootstrap.injector(configFile, MinerSettings.SECTION));
    }

    public MinerSettings settings() {
        return settings;
    }

    public Data data() {
        return injector.getInstance(Data.class);
    }

    public Stores stores() {
        return injector.getInstance(Stores.class);
    }

    public Chains chains() {
        return injector.getInstance(Chains.class);
    }

    /** The miner's hotkey, or {@code wallet}/{@code hotkey} when given. */
    public Hotkey hotkey(Optional<String> wallet, Optional<String> hotkey) {
        String w = wallet.orElse(settings.wallet());
        String h = hotkey.orElse(settings.hotkey());
        try {
            return chains().wallets(Optional.empty()).load(w, h);
        } catch (Pretrain4jException e) {
            throw new Pretrain4jException(
                    e.errorCode(),
                    "the miner's hotkey " + w + "/" + h + " cannot be loaded: " + e.getMessage()
                            + ". Create one with: bin/pretrain4j wallet create --name " + w + " --hotkey " + h,
                    e);
        }
    }

    /** The training backend ({@code miner.training-backend}) with the inference section's device and threads. */
    public TrainingBackend trainingBackend() {
        return injector.getInstance(Engines.class).training(settings.trainingBackend());
    }

    /** The validator's inference backend: held-out losses are computed exactly as validators compute them. */
    public InferenceBackend inferenceBackend() {
        return injector.getInstance(Engines.class).inference();
    }

    /** The competition {@code id} at the chain's current block, or a clear error listing the active ones. */
    public Competition competition(Chain chain, int id) {
        long block = chain.currentBlock();
        return schedule.competitionAt(block, id)
                .orElseThrow(() -> new Pretrain4jException(
                        PortErrorCode.INVALID_CONFIG,
                        "competition " + id + " is not active at block " + block + " of schedule " + schedule.name()
                                + "; active: "
                                + schedule.constraintsAt(block).stream()
                                        .map(c -> c.id() + " (" + c.name() + ")")
                                        .toList()));
    }

    public CompetitionSchedule schedule() {
        return schedule;
    }
}
