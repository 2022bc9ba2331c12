package io.pretrain4j.app.validator;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.schedule.CompetitionSchedule;
import io.pretrain4j.domain.scoring.ScoringPolicy;
import io.pretrain4j.evaluation.EvalWindows;
import io.pretrain4j.evaluation.WindowCache;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.launcher.Chains;
import io.pretrain4j.launcher.Data;
import io.pretrain4j.launcher.Engines;
import io.pretrain4j.launcher.Stores;
import io.pretrain4j.launcher.config.LauncherConfig;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.plugins.host.PluginRegistry;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.runlog.RunLogger;
import io.pretrain4j.ports.runlog.RunLoggerFactory;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.validator.CrashPoints;
import io.pretrain4j.validator.LoopServices;
import io.pretrain4j.validator.TaskData;
import io.pretrain4j.validator.Validator;
import io.pretrain4j.validator.ValidatorSettings;
import io.pretrain4j.validator.state.StateStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything the validator loop runs on, opened from configuration by factory name; closing it
 * closes the chain, the remote store, the inference backend, the datasets and the run logger
 * (which first delivers what it can of its buffer).
 */
public final class ValidatorRuntime implements AutoCloseable {
    private static final TypeLiteral<Map<String, RunLoggerFactory>> RUN_LOGGERS = new TypeLiteral<>() {};

    private final ValidatorSettings settings;
    private final LoopServices services;
    private final List<AutoCloseable> resources;

    private ValidatorRuntime(ValidatorSettings settings, LoopServices services, List<AutoCloseable> resources) {
        this.settings = settings;
        this.services = services;
        this.resources = resources;
    }

    /** The validator's injector for an optional config file: the shared sections and {@code pretrain4j.validator}. */
    public static Injector injector(Optional<Path> configFile) {
        return Bootstrap.injector(configFile, ValidatorSection.INSTANCE);
    }

    /** From the injector of an optional config file. */
    public static ValidatorRuntime open(Optional<Path> configFile) {
        return open(injector(configFile));
    }

    /** Opens everything the validator's injector chose by configuration. */
    public static ValidatorRuntime open(Injector injector) {
        ValidatorSettings settings = injector.getInstance(ValidatorSettings.class);
        LauncherConfig config = injector.getInstance(LauncherConfig.class);
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            Chains chains = injector.getInstance(Chains.class);
            Hotkey hotkey = hotkey(chains, settings);
            Chain chain = chains.chain(Path.of(settings.stateDir()));
            resources.add(chain);
            Stores stores = injector.getInstance(Stores.class);
            RemoteModelStore remote = stores.remote();
            resources.add(remote);
            InferenceBackend backend = injector.getInstance(Engines.class).inference();
            resources.add(backend);
            DatasetTaskData taskData = new DatasetTaskData(injector.getInstance(Data.class));
            resources.add(taskData);
            RunLogger runLogger = LoopServices.NO_RUN_LOGGER;
            if (config.runLog().enabled()) {
                RunLoggerFactory factory = injector.getInstance(Key.get(RUN_LOGGERS))
                        .get(config.runLog().logger());
                if (factory == null) {
                    throw PluginRegistry.unknownFactory(
                            FactoryKind.RUN_LOGGER,
                            config.runLog().logger(),
                            injector.getInstance(Key.get(RUN_LOGGERS)).keySet());
                }
                runLogger = factory.create(config.runLog().config());
                resources.add(runLogger);
            }
            LoopServices services = new LoopServices(
                    chain,
                    hotkey,
                    stores.local(),
                    remote,
                    backend,
                    taskData,
                    injector.getInstance(ScoringPolicy.class),
                    injector.getInstance(CompetitionSchedule.class),
                    chains.wallets(Optional.empty()),
                    runLogger);
            return new ValidatorRuntime(settings, services, resources);
        } catch (RuntimeException e) {
            closeAll(resources, e);
            throw e;
        }
    }

    private static Hotkey hotkey(Chains chains, ValidatorSettings settings) {
        String wallet = settings.wallet();
        String name = settings.hotkey();
        try {
            return chains.wallets(Optional.empty()).load(wallet, name);
        } catch (Pretrain4jException e) {
            throw new Pretrain4jException(
                    e.errorCode(),
                    "The validator's hotkey (pretrain4j.validator.wallet = " + wallet
                            + ", hotkey = " + name + ") cannot be loaded: " + e.getMessage()
                            + ". Create one with: bin/pretrain4j wallet create --name "
                            + wallet + " --hotkey " + name + ", or point pretrain4j.validator at yours",
                    e);
        }
    }

    public LoopServices services() {
        return services;
    }

    public ValidatorSettings settings() {
        return settings;
    }

    /** A validator loop over these services, its state under {@code validator.state-dir}. */
    public Validator validator(PrintWriter out) {
        String crashPoint = System.getenv(CrashPoints.VARIABLE);
        if (crashPoint != null && !crashPoint.isBlank()) {
            CrashPoints.arm(crashPoint);
        }
        Path stateDir = Path.of(settings.stateDir());
        Clock clock = Clock.systemUTC();
        return new Validator(settings, services, StateStore.jsonFile(stateDir, clock), stateDir, clock, out);
    }

    @Override
    public void close() {
        closeAll(resources, null);
    }

    private static void closeAll(List<AutoCloseable> resources, RuntimeException primary) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else {
                    System.getLogger(ValidatorRuntime.class.getName())
                            .log(System.Logger.Level.WARNING, "closing " + resources.get(i) + " failed", e);
                }
            }
        }
    }

    /** Datasets opened on first use and kept; windows through the configured cache. */
    private static final class DatasetTaskData implements TaskData, AutoCloseable {
        private final Data data;
        private final WindowCache cache;
        private final Map<String, TextDataset> datasets = new ConcurrentHashMap<>();

        DatasetTaskData(Data data) {
            this.data = data;
            this.cache = data.cache();
        }

        @Override
        public EvalWindows.Result windows(String datasetName, String tokenizerId, EvalWindows.Request request) {
            TextDataset dataset = datasets.computeIfAbsent(datasetName, data::dataset);
            return cache.get(dataset, data.tokenizer(tokenizerId), request);
        }

        @Override
        public void close() {
            datasets.values().forEach(TextDataset::close);
        }
    }
}
