package io.pretrain4j.launcher;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.Suggestions;
import io.pretrain4j.evaluation.WindowCache;
import io.pretrain4j.launcher.config.DataConfig;
import io.pretrain4j.launcher.config.LauncherConfig;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.plugins.host.PluginRegistry;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.dataset.DatasetFactory;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.ports.dataset.Tokenizer;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Datasets by their configured name, tokenizers by id, and the window cache, from the configuration. */
public final class Data {
    private final DataConfig config;
    private final Map<String, DatasetFactory> datasets;
    private final PluginRegistry registry;

    /** {@code registry} answers tokenizer ids (a tokenizer factory lists the ids it reproduces). */
    @Inject
    public Data(LauncherConfig config, Map<String, DatasetFactory> datasets, PluginRegistry registry) {
        this.config = requireNonNull(config, "config is null").data();
        this.datasets = Map.copyOf(datasets);
        this.registry = requireNonNull(registry, "registry is null");
    }

    /** Opens the dataset configured under {@code name} ({@code pretrain4j.data.datasets.<name>}). */
    public TextDataset dataset(String name) {
        DataConfig.Dataset entry = config.datasets().get(name);
        if (entry == null) {
            List<String> known = config.datasets().keySet().stream().sorted().toList();
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG,
                    "No dataset is configured as '" + name + "'; configured: " + known
                            + Suggestions.closest(name, known, 3)
                                    .map(c -> ". Did you mean '" + c + "'?")
                                    .orElse(""));
        }
        return FactoriesModule.choose(FactoryKind.DATASET, datasets, entry.factory())
                .create(entry.config());
    }

    /** The tokenizer reproducing the Hugging Face id {@code id}, e.g. {@code gpt2} or {@code Xenova/gpt-4}. */
    public Tokenizer tokenizer(String id) {
        return registry.tokenizer(id);
    }

    /** A window cache as configured ({@code pretrain4j.data.cache-dir}, {@code cache-memory-tokens}). */
    public WindowCache cache() {
        return new WindowCache(config.cacheDir().map(Path::of), config.cacheMemoryTokens());
    }
}
