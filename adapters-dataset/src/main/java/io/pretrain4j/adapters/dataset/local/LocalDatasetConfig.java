package io.pretrain4j.adapters.dataset.local;

import io.pretrain4j.toolkit.config.FactoryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code local} dataset's settings: {@code path} (a {@code .jsonl} or {@code .jsonl.gz} file, or a
 * directory of them read in name order; none: the Brown Corpus sample shipped in the jar),
 * {@code rows-per-page}, {@code text-field} (none: {@code text}, falling back to {@code content}) and
 * {@code max-chars}. The defaults are {@link #DEFAULTS}.
 *
 * @param path the corpus, or empty for the shipped sample
 * @param rowsPerPage rows of a page
 * @param fields the fields a row's text is read from, first present wins
 * @param maxChars characters read at most
 */
public record LocalDatasetConfig(Optional<Path> path, int rowsPerPage, List<String> fields, long maxChars) {
    /** Every default, as written in configuration. */
    public static final Map<String, String> DEFAULTS =
            FactoryConfig.defaults("rows-per-page", "4", "max-chars", "1073741824");

    /** Keys the factory understands. */
    static final Set<String> KEYS = Set.of("path", "rows-per-page", "text-field", "max-chars");

    /** Reads and checks {@code values}, listing every problem at once. */
    public static LocalDatasetConfig from(Map<String, String> values) {
        FactoryConfig config = new FactoryConfig(LocalDatasetFactory.NAME, values, DEFAULTS, KEYS);
        Optional<Path> path = config.optional("path").map(Path::of);
        path.ifPresent(p -> {
            if (!Files.exists(p)) {
                config.problem("path " + p + " does not exist");
            }
        });
        LocalDatasetConfig read = new LocalDatasetConfig(
                path,
                (int) config.integer("rows-per-page", 1, 100),
                config.optional("text-field").map(List::of).orElse(List.of("text", "content")),
                config.integer("max-chars", 1, Integer.MAX_VALUE));
        config.done();
        return read;
    }
}
