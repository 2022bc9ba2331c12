/**
 * Shared mechanics for adapters and apps, on the JDK alone (Trino's plugin toolkit is the model): one
 * atomic file write, one reading of HTTP {@code Retry-After} and one watched download copy, instead of
 * a copy per adapter.
 */
module io.pretrain4j.toolkit {
    requires java.net.http;

    exports io.pretrain4j.toolkit.download;
    exports io.pretrain4j.toolkit.files;
    exports io.pretrain4j.toolkit.http;
}
