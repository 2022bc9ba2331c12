/**
 * Shared mechanics for adapters, plugins and apps, on the ports and the JDK alone (Trino's plugin toolkit
 * is the model): the reading of a factory's settings ({@code FactoryConfig}), one atomic file write, one
 * reading of HTTP {@code Retry-After} and one watched download copy, instead of a copy per adapter.
 */
module io.pretrain4j.toolkit {
    requires transitive io.pretrain4j.ports;
    requires java.net.http;

    exports io.pretrain4j.toolkit.config;
    exports io.pretrain4j.toolkit.download;
    exports io.pretrain4j.toolkit.files;
    exports io.pretrain4j.toolkit.http;
}
