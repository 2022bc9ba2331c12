package io.pretrain4j.ports;

import java.util.Map;

/**
 * A factory an adapter contributes under a name; operators pick it by that name in configuration.
 * Configuration crosses the port as an immutable string map, never as a configuration library's type.
 *
 * @param <T> what the factory creates
 */
public interface NamedFactory<T> {
    /** The name operators select this factory by, lower-kebab-case, e.g. {@code djl-pytorch}. */
    String name();

    /**
     * Creates an instance.
     *
     * @param config this factory's configuration keys (without the adapter's prefix) and values
     * @throws io.pretrain4j.domain.Pretrain4jException with {@code INVALID_CONFIG} listing every problem
     */
    T create(Map<String, String> config);

    /**
     * The keys that have a default, with the default as an operator would write it ({@code "30s"},
     * {@code "65536"}): the one place a factory's defaults are declared, which it reads its fallbacks
     * from, {@code bin/pretrain4j plugins} lists and a test checks {@code application.conf}'s comments
     * against. Empty for a factory that declares none.
     */
    default Map<String, String> defaults() {
        return Map.of();
    }
}
