/**
 * The plugin host: discovers {@link io.pretrain4j.ports.spi.Plugin}s with {@link java.util.ServiceLoader}
 * and registers their factories by kind and name, refusing broken plugins one by one.
 */
module io.pretrain4j.plugins.host {
    requires transitive io.pretrain4j.ports;

    exports io.pretrain4j.plugins.host;

    uses io.pretrain4j.ports.spi.Plugin;

    provides io.pretrain4j.ports.spi.Plugin with
            io.pretrain4j.plugins.host.BuiltinPlugin;
}
