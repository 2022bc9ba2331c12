package io.pretrain4j.validator;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import io.pretrain4j.ports.store.LocalModelStore;
import io.pretrain4j.ports.store.ModelKey;
import io.pretrain4j.validator.state.ValidatorState;
import java.time.Clock;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Cleans the local model store when due, keeping every model the loop still tracks or is downloading. */
final class StoreCleaner {
    private static final System.Logger LOG = System.getLogger(StoreCleaner.class.getName());

    private final ValidatorSettings config;
    private final LoopServices services;
    private final ValidatorState state;
    private final Clock clock;
    private final ModelSync sync;
    private final MetagraphView view;
    private long cleanedAtMs;

    StoreCleaner(
            ValidatorSettings config,
            LoopServices services,
            ValidatorState state,
            Clock clock,
            ModelSync sync,
            MetagraphView view) {
        this.config = config;
        this.services = services;
        this.state = state;
        this.clock = clock;
        this.sync = sync;
        this.view = view;
    }

    void cleanIfDue() {
        long now = clock.millis();
        if (now - cleanedAtMs < config.cleanInterval().toMillis()) {
            return;
        }
        cleanedAtMs = now;
        Set<ModelKey> keep = new HashSet<>();
        for (int uid : state.uidsInFlight()) {
            view.neuron(uid)
                    .map(n -> state.model(n.hotkey()))
                    .filter(t -> !t.commit().isEmpty())
                    .ifPresent(t -> {
                        try {
                            keep.add(new ModelKey(t.hotkey(), t.repoId(), t.commit()));
                        } catch (RuntimeException ignored) {
                            // a tracked model with an unusable key has no files to keep
                        }
                    });
        }
        keep.addAll(sync.inFlightKeys());
        try {
            LocalModelStore.CleanReport report = services.local().clean(keep, config.cleanGrace());
            if (!report.deleted().isEmpty()) {
                LOG.log(
                        INFO,
                        "Model store: deleted {0} unreferenced model(s), {1} MB freed",
                        report.deleted().size(),
                        String.format(Locale.ROOT, "%.1f", report.freedBytes() / 1e6));
            }
        } catch (RuntimeException e) {
            LOG.log(WARNING, "Model store cleaning failed: {0}", e.getMessage());
        }
    }
}
