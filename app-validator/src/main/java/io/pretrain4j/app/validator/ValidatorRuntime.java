package io.pretrain4j.app.validator;

import io.pretrain4j.launcher.Stores;
import io.pretrain4j.launcher.Data;
import io.pretrain4j.launcher.Chains;
import io.pretrain4j.launcher.Bootstrap;
import com.google.inject.Injector;
import io.pretrain4j.launcher.config.ValidatorConfig;
import io.pretrain4j.app.validator.loop.LoopServices;
import io.pretrain4j.app.validator.loop.TaskData;
import io.pretrain4j.app.validator.loop.Validator;
import io.pretrain4j.domain.schedule.CompetitionSchedule;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.scoring.ScoringPolicy;
import io.pretrain4j.plugins.host.PluginRegistry;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.evaluation.EvalWindows;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.evaluation.WindowCache;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.runlog.RunLogger;
import io.pretrain4j.ports.store.RemoteModelStore;

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
    private final ValidatorConfig config;
    private final LoopServices services;
    private final List<AutoCloseable> resources;

    private ValidatorRuntime(ValidatorConfig config, LoopServices services, List<AutoCloseable> resources) {
        this.config = config;
        this.services = services;
        this.resources = resources;
    }

    /** Opens everything for {@code config} with the plugins of {@code registry}. */
    public static ValidatorRuntime open(ValidatorConfig config, PluginRegistry registry, CompetitionSchedule schedule, ScoringPolicy policy) {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            Chains chains = new Chains(config, registry);
            Hotkey hotkey = hotkey(chains, config);
            Chain chain = chains.chain();
            resources.add(chain);
            Stores stores = new Stores(config, registry);
            RemoteModelStore remote = stores.remote();
            resources.add(remote);
            InferenceBackend backend = registry.factory(FactoryKind.INFERENCE_BACKEND, config.inferenceBackend()).create(config.inferenceConfig());
            resources.add(backend);
            Data data = new Data(config, registry);
            DatasetTaskData taskData = new DatasetTaskData(data);
            resources.add(taskData);
            RunLogger runLogger = LoopServices.NO_RUN_LOGGER;
            if (config.runLog().enabled()) {
                runLogger = registry.factory(FactoryKind.RUN_LOGGER, config.runLog().logger()).create(config.runLog().config());
                resources.add(runLogger);
            }
            LoopServices services = new LoopServices(chain, hotkey, stores.local(), remote, backend, taskData, policy, schedule,
                    chains.wallets(Optional.empty()), runLogger);
            return new ValidatorRuntime(config, services, resources);
        } catch (RuntimeException e) {
            closeAll(resources, e);
            throw e;
        }
    }

    private static Hotkey hotkey(Chains chains, ValidatorConfig config) {
        String wallet = config.validator().wallet();
        String name = config.validator().hotkey();
        try {
            return chains.wallets(Optional.empty()).load(wallet, name);
        } catch (Pretrain4jException e) {
            throw new Pretrain4jException(e.errorCode(), "The validator's hotkey (pretrain4j.validator.wallet = " + wallet
                    + ", hotkey = " + name + ") cannot be loaded: " + e.getMessage() + ". Create one with: bin/pretrain4j wallet create --name "
                    + wallet + " --hotkey " + name + ", or point pretrain4j.validator at yours", e);
        }
    }

    /** From the injector of an optional config file. */
    public static ValidatorRuntime open(Optional<Path> configFile) {
        Injector injector = Bootstrap.injector(configFile);
        return open(injector.getInstance(ValidatorConfig.class), injector.getInstance(PluginRegistry.class),
                injector.getInstance(CompetitionSchedule.class), injector.getInstance(ScoringPolicy.class));
    }

    public LoopServices services() {
        return services;
    }

    public ValidatorConfig config() {
        return config;
    }

    /** A validator loop over these services, its state under {@code validator.state-dir}. */
    public Validator validator(PrintWriter out) {
        return new Validator(config.validator(), services, Path.of(config.validator().stateDir()), Clock.systemUTC(), out);
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
                    System.getLogger(ValidatorRuntime.class.getName()).log(System.Logger.Level.WARNING, "closing " + resources.get(i) + " failed", e);
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
