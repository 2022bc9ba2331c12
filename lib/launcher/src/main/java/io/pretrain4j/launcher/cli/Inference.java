package io.pretrain4j.launcher.cli;

import com.google.inject.Injector;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.launcher.Engines;
import io.pretrain4j.launcher.config.AdapterEnvironment;
import io.pretrain4j.launcher.config.LauncherConfig;
import io.pretrain4j.ports.inference.InferenceBackend;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by commands that run models: the backend and its settings, over the config file. */
public final class Inference {
    @Mixin
    ConfigOption config;

    @Option(
            names = "--backend",
            paramLabel = "<name>",
            description = "inference backend (default: inference.backend, djl-pytorch)")
    String backend;

    @Option(
            names = "--device",
            paramLabel = "<device>",
            description = "cpu, gpu or gpu:N (default: the backend's config, cpu)")
    String device;

    @Option(names = "--dtype", paramLabel = "<dtype>", description = "fp32, or fp16/bf16 on a GPU")
    String dtype;

    @Option(names = "--threads", paramLabel = "<n>", description = "intra-op threads (0: the engine's default)")
    Integer threads;

    @Option(names = "--batch-tokens", paramLabel = "<n>", description = "tokens per forward pass when batching windows")
    Integer batchTokens;

    /** Creates the backend chosen by configuration and these options. */
    public InferenceBackend open() {
        Injector injector = Bootstrap.injector(config.file());
        LauncherConfig settings = injector.getInstance(LauncherConfig.class);
        Map<String, String> backendConfig = new LinkedHashMap<>(settings.inferenceConfig());
        put(backendConfig, "device", device);
        put(backendConfig, "dtype", dtype);
        put(backendConfig, "threads", threads);
        put(backendConfig, "batch-tokens", batchTokens);
        String name = backend != null ? backend : settings.inferenceBackend();
        // the environment reaches a factory as its keys (AdapterEnvironment); a backend chosen on the command
        // line gets them here
        AdapterEnvironment.inferenceKeys(name, System.getenv()).forEach(backendConfig::putIfAbsent);
        return injector.getInstance(Engines.class).inference(name, backendConfig);
    }

    private static void put(Map<String, String> config, String key, Object value) {
        if (value != null) {
            config.put(key, String.valueOf(value));
        }
    }
}
