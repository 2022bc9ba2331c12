package io.pretrain4j.launcher.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.Suggestions;
import io.pretrain4j.ports.PortErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sections every launcher shares: {@code application.conf} defaults, then the operator's file,
 * then {@code PRETRAIN4J_*} environment variables (e.g. {@code PRETRAIN4J_SCORING_POLICY}). Every
 * problem is reported at once; unknown keys are errors with a "did you mean". The apps' own sections
 * ({@code pretrain4j.validator}, {@code pretrain4j.miner}) are read by the app that owns them, through
 * {@link AppSection}, in the same pass ({@link #load(Optional, Map, AppSection)}).
 *
 * @param scoringPolicy the scoring policy's name
 * @param policyConfig keys for the policy's factory
 * @param inferenceBackend the inference backend's name, e.g. {@code djl-pytorch}
 * @param inferenceConfig keys for the backend's factory (device, dtype, threads, batch-tokens)
 * @param schedule {@code sn9} or a path to a schedule file
 * @param data datasets and the window cache
 * @param store the local and remote model stores
 * @param chain the chain and the wallets
 * @param pluginsDir where drop-in plugin jars are looked for; empty for none
 * @param runLog where steps are reported besides the step log ({@code run-log})
 */
public record LauncherConfig(
        String scoringPolicy,
        Map<String, String> policyConfig,
        String schedule,
        String inferenceBackend,
        Map<String, String> inferenceConfig,
        DataConfig data,
        StoreConfig store,
        ChainConfig chain,
        Optional<String> pluginsDir,
        RunLogConfig runLog) {
    static final String ROOT = "pretrain4j";
    private static final Set<String> LEAVES = Set.of(
            "scoring.policy",
            "schedule",
            "inference.backend",
            "data.cache-dir",
            "data.cache-memory-tokens",
            "store.local",
            "store.remote",
            "chain.backend",
            "wallets.backend",
            "plugins.dir",
            "run-log.logger");
    private static final Set<String> FREE_FORM = Set.of(
            "scoring.policy-config",
            "inference.backend-config",
            "data.datasets",
            "store.local-config",
            "store.remote-config",
            "chain.backend-config",
            "wallets.backend-config",
            "run-log.logger-config");
    /** The apps' own sections: each is checked by its app (the validator's by the validator, and so on), not here. */
    private static final Set<String> APP_SECTIONS = Set.of("validator", "miner");

    public LauncherConfig {
        policyConfig = Map.copyOf(policyConfig);
        inferenceConfig = Map.copyOf(inferenceConfig);
        requireNonNull(data, "data is null");
        requireNonNull(store, "store is null");
        requireNonNull(chain, "chain is null");
        requireNonNull(pluginsDir, "pluginsDir is null");
        requireNonNull(runLog, "runLog is null");
    }

    /** The shipped defaults with {@code policy} and {@code schedule}. */
    public LauncherConfig(String scoringPolicy, Map<String, String> policyConfig, String schedule) {
        this(scoringPolicy, policyConfig, schedule, "djl-pytorch", Map.of());
    }

    /** The shipped data section with the rest given. */
    public LauncherConfig(
            String scoringPolicy,
            Map<String, String> policyConfig,
            String schedule,
            String inferenceBackend,
            Map<String, String> inferenceConfig) {
        this(
                scoringPolicy,
                policyConfig,
                schedule,
                inferenceBackend,
                inferenceConfig,
                DataConfig.SHIPPED,
                StoreConfig.SHIPPED,
                ChainConfig.SHIPPED,
                Optional.of("plugins"),
                RunLogConfig.NONE);
    }

    /**
     * The shared sections and one app's section, read together.
     *
     * @param launcher the shared sections
     * @param app the app's settings
     * @param <T> the app's settings record
     */
    public record Loaded<T>(LauncherConfig launcher, T app) {
        public Loaded {
            requireNonNull(launcher, "launcher is null");
            requireNonNull(app, "app is null");
        }
    }

    /** Loads defaults, the optional file and the environment: the shared sections only. */
    public static LauncherConfig load(Optional<Path> file, Map<String, String> environment) {
        return from(loadRaw(file, environment, Set.of()));
    }

    /** Loads defaults, the optional file and the environment: the shared sections and {@code app}'s, every problem at once. */
    public static <T> Loaded<T> load(Optional<Path> file, Map<String, String> environment, AppSection<T> app) {
        Set<String> appLeaves = new HashSet<>();
        app.leaves().forEach(leaf -> appLeaves.add(app.name() + "." + leaf));
        Config resolved = loadRaw(file, environment, appLeaves);
        List<String> problems = new ArrayList<>();
        LauncherConfig launcher = read(resolved, problems);
        T settings = readApp(resolved, app, problems);
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return new Loaded<>(launcher, settings);
    }

    /** The resolved configuration tree (defaults, file, environment) before validation. */
    static Config loadRaw(Optional<Path> file, Map<String, String> environment, Set<String> appLeaves) {
        Config config = ConfigFactory.parseResources(
                LauncherConfig.class,
                "/application.conf",
                ConfigParseOptions.defaults().setAllowMissing(false));
        if (file.isPresent()) {
            Path path = file.get();
            if (!Files.isRegularFile(path)) {
                throw invalid(List.of("config file " + path + " does not exist or is not a file"));
            }
            try {
                config = ConfigFiles.parse(path).withFallback(config);
            } catch (ConfigException e) {
                throw invalid(List.of("config file " + path + ": " + e.getMessage()));
            }
        }
        Map<String, Object> overrides = new LinkedHashMap<>();
        List<String> overridable = new ArrayList<>(LEAVES);
        overridable.addAll(appLeaves);
        for (String leaf : overridable) {
            String variable = environmentName(leaf);
            if (environment.containsKey(variable)) {
                overrides.put(ROOT + "." + leaf, environment.get(variable));
            }
        }
        Config layered = ConfigFactory.parseMap(overrides, "environment").withFallback(config);
        Config resolved = layered.resolve();
        // the variables adapters used to read themselves go in as their keys, under what the file sets
        String home = System.getProperty("user.home");
        return AdapterEnvironment.expansions(resolved, home)
                .withFallback(layered)
                .withFallback(AdapterEnvironment.defaults(resolved, environment, home))
                .resolve();
    }

    /** Validates a resolved config's shared sections. */
    static LauncherConfig from(Config config) {
        List<String> problems = new ArrayList<>();
        LauncherConfig launcher = read(config, problems);
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return launcher;
    }

    private static <T> T readApp(Config config, AppSection<T> app, List<String> problems) {
        String where = ROOT + "." + app.name();
        if (!config.hasPath(where)) {
            problems.add(where + " is missing");
            return null;
        }
        Config section = config.getConfig(where);
        for (Map.Entry<String, ConfigValue> entry : section.entrySet()) {
            String key = entry.getKey();
            if (!app.leaves().contains(key)
                    && app.freeForm().stream().noneMatch(prefix -> key.startsWith(prefix + "."))) {
                List<String> known = new ArrayList<>(app.leaves());
                known.addAll(app.freeForm());
                problems.add("unknown key '" + where + "." + key + "'"
                        + Suggestions.closest(key, known, 4)
                                .map(candidate -> "; did you mean '" + where + "." + candidate + "'?")
                                .orElse(""));
            }
        }
        return app.read(new SectionReader(section, where, problems));
    }

    private static LauncherConfig read(Config config, List<String> problems) {
        if (!config.hasPath(ROOT)) {
            throw invalid(List.of("missing the '" + ROOT + "' section"));
        }
        Config root = config.getConfig(ROOT);
        for (Map.Entry<String, ConfigValue> entry : root.entrySet()) {
            String key = entry.getKey();
            boolean appKey = APP_SECTIONS.stream().anyMatch(section -> key.startsWith(section + "."));
            if (!LEAVES.contains(key)
                    && !appKey
                    && FREE_FORM.stream().noneMatch(prefix -> key.startsWith(prefix + "."))) {
                problems.add("unknown key '" + ROOT + "." + key + "'" + suggestion(key));
            }
        }
        String policy = string(root, "scoring.policy", problems);
        String schedule = string(root, "schedule", problems);
        Map<String, String> policyConfig = freeForm(root, "scoring.policy-config", problems);
        String backend = string(root, "inference.backend", problems);
        Map<String, String> backendConfig = freeForm(root, "inference.backend-config", problems);
        DataConfig data = data(root, problems);
        StoreConfig store = new StoreConfig(
                string(root, "store.local", problems),
                freeForm(root, "store.local-config", problems),
                string(root, "store.remote", problems),
                freeForm(root, "store.remote-config", problems));
        ChainConfig chain = new ChainConfig(
                string(root, "chain.backend", problems),
                freeForm(root, "chain.backend-config", problems),
                string(root, "wallets.backend", problems),
                freeForm(root, "wallets.backend-config", problems));
        RunLogConfig runLog = new RunLogConfig(
                string(root, "run-log.logger", problems), freeForm(root, "run-log.logger-config", problems));
        String pluginsDir = string(root, "plugins.dir", new ArrayList<>());
        return new LauncherConfig(
                policy,
                policyConfig,
                schedule,
                backend,
                backendConfig,
                data,
                store,
                chain,
                pluginsDir.isBlank() ? Optional.empty() : Optional.of(pluginsDir),
                runLog);
    }

    private static DataConfig data(Config root, List<String> problems) {
        Map<String, DataConfig.Dataset> datasets = new LinkedHashMap<>();
        if (root.hasPath("data.datasets")) {
            for (Map.Entry<String, ConfigValue> entry :
                    root.getObject("data.datasets").entrySet()) {
                String name = entry.getKey();
                String where = ROOT + ".data.datasets." + name;
                if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
                    problems.add(where + ": a dataset name is letters, digits, '_' and '-'");
                    continue;
                }
                if (entry.getValue().valueType() != ConfigValueType.OBJECT) {
                    problems.add(where + " must be an object such as { factory = hf-rows, preset = FINEWEB }");
                    continue;
                }
                Map<String, String> keys = new LinkedHashMap<>();
                root.getObject("data.datasets")
                        .toConfig()
                        .getObject(quoted(name))
                        .forEach((key, value) -> {
                            if (value.valueType() == ConfigValueType.OBJECT
                                    || value.valueType() == ConfigValueType.LIST) {
                                problems.add(where + "." + key + " must be a plain value");
                            } else {
                                keys.put(key, String.valueOf(value.unwrapped()));
                            }
                        });
                String factory = keys.remove("factory");
                if (factory == null || factory.isBlank()) {
                    problems.add(where + " needs 'factory' (local, hf-rows, or a plugin's dataset)");
                    continue;
                }
                datasets.put(name, new DataConfig.Dataset(factory, keys));
            }
        }
        String cacheDir = string(root, "data.cache-dir", new ArrayList<>());
        long memoryTokens =
                ConfigNumbers.whole(root, "data.cache-memory-tokens", 0, Long.MAX_VALUE, ROOT + ".", problems);
        return new DataConfig(datasets, cacheDir.isBlank() ? Optional.empty() : Optional.of(cacheDir), memoryTokens);
    }

    private static String quoted(String name) {
        return "\"" + name + "\"";
    }

    private static Map<String, String> freeForm(Config root, String path, List<String> problems) {
        Map<String, String> values = new LinkedHashMap<>();
        if (root.hasPath(path)) {
            root.getObject(path).forEach((key, value) -> {
                if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
                    problems.add(ROOT + "." + path + "." + key + " must be a plain value");
                } else {
                    values.put(key, String.valueOf(value.unwrapped()));
                }
            });
        }
        return values;
    }

    /** The environment variable that overrides {@code leaf}, e.g. {@code PRETRAIN4J_SCORING_POLICY}. */
    public static String environmentName(String leaf) {
        return "PRETRAIN4J_" + leaf.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String string(Config root, String key, List<String> problems) {
        try {
            String value = root.getString(key);
            if (value.isBlank()) {
                problems.add(ROOT + "." + key + " is empty");
            }
            return value;
        } catch (ConfigException.Missing e) {
            problems.add(ROOT + "." + key + " is missing");
        } catch (ConfigException.WrongType e) {
            problems.add(ROOT + "." + key + " must be a string: " + e.getMessage());
        }
        return "";
    }

    private static String suggestion(String key) {
        List<String> known = new ArrayList<>(LEAVES);
        known.addAll(FREE_FORM);
        return Suggestions.closest(key, known, 4)
                .map(candidate -> "; did you mean '" + ROOT + "." + candidate + "'?")
                .orElse("");
    }

    private static Pretrain4jException invalid(List<String> problems) {
        return new Pretrain4jException(
                PortErrorCode.INVALID_CONFIG,
                "Invalid configuration (" + problems.size() + " problem(s)):\n  - " + String.join("\n  - ", problems));
    }
}
