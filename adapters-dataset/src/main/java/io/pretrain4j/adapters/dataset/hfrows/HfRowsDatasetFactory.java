package io.pretrain4j.adapters.dataset.hfrows;

import io.pretrain4j.ports.dataset.DatasetFactory;
import io.pretrain4j.ports.dataset.TextDataset;
import java.util.Map;
import java.util.Set;

/**
 * {@code hf-rows}: a dataset read page by page from the Hugging Face datasets-server, as the
 * reference's loaders read theirs. Its keys and defaults: {@link HfRowsConfig}.
 */
public final class HfRowsDatasetFactory implements DatasetFactory {
    /** The factory's name. */
    public static final String NAME = "hf-rows";
    /** The public datasets-server. */
    public static final String DEFAULT_ENDPOINT = "https://datasets-server.huggingface.co";
    /** Keys this factory understands. */
    public static final Set<String> KEYS = Set.of(
            "preset",
            "dataset",
            "style",
            "config",
            "split",
            "max-offset",
            "rows-per-page",
            "text-field",
            "endpoint",
            "token",
            "requires-auth",
            "timeout",
            "attempts",
            "retry-delay",
            "max-retry-delay",
            "max-body-bytes");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TextDataset create(Map<String, String> config) {
        HfRowsConfig settings = HfRowsConfig.from(config);
        return new HfRowsDataset(
                settings.layout(), new DatasetsServerClient(settings.server(), duration -> Thread.sleep(duration)));
    }

    @Override
    public Map<String, String> defaults() {
        return HfRowsConfig.DEFAULTS;
    }
}
