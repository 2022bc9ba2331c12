/**
 * The testkit for pretrain4j modules and third-party plugins: the architecture rules as ArchUnit
 * rules, and (as ports gain them) the port contract suites.
 */
module io.pretrain4j.plugins.testkit {
    requires transitive io.pretrain4j.ports;
    requires transitive com.tngtech.archunit;

    exports io.pretrain4j.plugins.testkit;
}
