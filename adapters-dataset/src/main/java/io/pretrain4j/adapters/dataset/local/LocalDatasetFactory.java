package io.pretrain4j.adapters.dataset.local;

import io.pretrain4j.ports.dataset.DatasetFactory;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.toolkit.config.FactoryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code local}: JSON lines files on disk, or the Brown Corpus sample shipped in this jar.
 *
 * <p>Keys: {@code path} (a {@code .jsonl} or {@code .jsonl.gz} file, or a directory of them read in
 * name order; default the shipped sample), {@code rows-per-page} (default 4), {@code text-field}
 * (default {@code text}, falling back to {@code content}), {@code max-chars} (default 2^30).
 */
public final class LocalDatasetFactory implements DatasetFactory {
    /** The factory's name. */
    public static final String NAME = "local";
    /** Keys this factory understands. */
    public static final Set<String> KEYS = Set.of("path", "rows-per-page", "text-field", "max-chars");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TextDataset create(Map<String, String> config) {
        FactoryConfig settings = new FactoryConfig(NAME, config, KEYS);
        Optional<Path> path = settings.optional("path").map(Path::of);
        path.ifPresent(p -> {
            if (!Files.exists(p)) {
                settings.problem("path " + p + " does not exist");
            }
        });
        int rowsPerPage = (int) settings.integer("rows-per-page", 4, 1, 100);
        List<String> fields = settings.optional("text-field").map(List::of).orElse(List.of("text", "content"));
        long maxChars = settings.integer("max-chars", 1L << 30, 1, Integer.MAX_VALUE);
        settings.done();
        return new LocalDataset(path, rowsPerPage, fields, maxChars);
    }
}
