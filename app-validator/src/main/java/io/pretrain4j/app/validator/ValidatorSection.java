package io.pretrain4j.app.validator;

import io.pretrain4j.launcher.config.AppSection;
import io.pretrain4j.launcher.config.SectionReader;
import io.pretrain4j.validator.ValidatorSettings;
import java.util.Set;

/** The validator's own section of the configuration, {@code pretrain4j.validator}, read into {@link ValidatorSettings}. */
public final class ValidatorSection implements AppSection<ValidatorSettings> {
    /** The one instance. */
    public static final ValidatorSection INSTANCE = new ValidatorSection();

    private ValidatorSection() {}

    @Override
    public String name() {
        return "validator";
    }

    @Override
    public Class<ValidatorSettings> type() {
        return ValidatorSettings.class;
    }

    @Override
    public Set<String> leaves() {
        return ValidatorSettings.LEAVES;
    }

    @Override
    public Set<String> freeForm() {
        return Set.of("task-datasets");
    }

    @Override
    public ValidatorSettings read(SectionReader r) {
        return new ValidatorSettings(
                r.string("wallet"),
                r.string("hotkey"),
                r.string("state-dir"),
                r.count("version-key", 0, Long.MAX_VALUE),
                (int) r.count("sample-min", 1, ValidatorSettings.MAX_UIDS),
                (int) r.count("updated-models-limit", 1, ValidatorSettings.MAX_UIDS),
                r.duration("chain-update-cadence"),
                r.count("model-retry-cadence", 0, Long.MAX_VALUE),
                r.duration("top-model-scan-cadence"),
                r.fraction("top-model-min-stake", Double.MAX_VALUE),
                r.fraction("top-model-min-share", 1),
                r.duration("metagraph-refresh"),
                r.duration("weights-interval"),
                r.duration("weights-retry"),
                r.positiveDuration("model-time-limit"),
                r.bool("sanity-check"),
                (int) r.count("max-windows", 1, ValidatorSettings.MAX_WINDOWS),
                r.freeForm("task-datasets"),
                r.duration("clean-interval"),
                r.duration("clean-grace"),
                r.duration("idle-sleep"));
    }
}
