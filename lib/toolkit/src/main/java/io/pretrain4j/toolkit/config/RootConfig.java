package io.pretrain4j.toolkit.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The settings of a factory whose one key is a directory, {@code root} (the {@code disk} and
 * {@code local-hub} stores), its default declared by the factory.
 *
 * @param root the store's directory
 */
public record RootConfig(Path root) {
    /** Reads and checks {@code values} for the factory {@code owner} with its {@code defaults}. */
    public static RootConfig from(String owner, Map<String, String> defaults, Map<String, String> values) {
        FactoryConfig config = new FactoryConfig(owner, values, defaults, Set.of("root"));
        String root = config.string("root");
        if (root.isBlank()) {
            config.problem("root is empty");
        }
        config.done();
        return new RootConfig(Path.of(root));
    }
}
