/**
 * Shared mechanics for adapters, plugins and apps, on the ports, the JDK and Jackson (Trino's plugin toolkit
 * is the model): the reading of a factory's settings ({@code FactoryConfig}, {@code HttpConfig}), one atomic
 * file write, one reading of HTTP {@code Retry-After}, one bounded JSON reader of service answers
 * ({@code BoundedJson}, on Jackson) and one watched download copy, instead of a copy per adapter.
 */
module io.pretrain4j.toolkit {
    requires transitive io.pretrain4j.ports;
    requires java.net.http;
    requires transitive com.fasterxml.jackson.databind;

    exports io.pretrain4j.toolkit.config;
    exports io.pretrain4j.toolkit.download;
    exports io.pretrain4j.toolkit.files;
    exports io.pretrain4j.toolkit.http;
}
