package io.pretrain4j.adapters.dataset.local;

import io.pretrain4j.ports.dataset.DatasetFactory;
import io.pretrain4j.ports.dataset.TextDataset;
import java.util.Map;
import java.util.Set;

/**
 * {@code local}: JSON lines files on disk, or the Brown Corpus sample shipped in this jar. Its keys and
 * defaults: {@link LocalDatasetConfig}.
 */
public final class LocalDatasetFactory implements DatasetFactory {
    /** The factory's name. */
    public static final String NAME = "local";
    /** Keys this factory understands. */
    public static final Set<String> KEYS = LocalDatasetConfig.KEYS;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TextDataset create(Map<String, String> config) {
        LocalDatasetConfig settings = LocalDatasetConfig.from(config);
        return new LocalDataset(settings.path(), settings.rowsPerPage(), settings.fields(), settings.maxChars());
    }

    @Override
    public Map<String, String> defaults() {
        return LocalDatasetConfig.DEFAULTS;
    }
}
