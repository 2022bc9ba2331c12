package io.pretrain4j.app.miner;

import io.pretrain4j.launcher.config.AppSection;
import io.pretrain4j.launcher.config.SectionReader;
import java.util.Set;

/**
 * The {@code pretrain4j.miner} section: who commits, where models go, what to train on.
 *
 * @param wallet the wallet of the hotkey that commits
 * @param hotkey the hotkey's name
 * @param modelDir checkpoints, final models and the training log
 * @param dataset the configured dataset to train on
 * @param trainingBackend the training backend's factory name
 */
public record MinerSettings(String wallet, String hotkey, String modelDir, String dataset, String trainingBackend) {
    /** How the launcher reads the section. */
    public static final AppSection<MinerSettings> SECTION = new AppSection<>() {
        @Override
        public String name() {
            return "miner";
        }

        @Override
        public Class<MinerSettings> type() {
            return MinerSettings.class;
        }

        @Override
        public Set<String> leaves() {
            return Set.of("wallet", "hotkey", "model-dir", "dataset", "training-backend");
        }

        @Override
        public MinerSettings read(SectionReader r) {
            return new MinerSettings(
                    r.string("wallet"),
                    r.string("hotkey"),
                    r.string("model-dir"),
                    r.string("dataset"),
                    r.string("training-backend"));
        }
    };
}
