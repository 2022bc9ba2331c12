/**
 * Loopback fakes of the remote services pretrain4j talks to: real HTTP servers on 127.0.0.1 that
 * speak the services' protocols over local data, with faults on demand. No JUnit: the benchmarks
 * use them too.
 */
module io.pretrain4j.testing.fakes {
    requires com.fasterxml.jackson.databind;
    requires jdk.httpserver;

    exports io.pretrain4j.testing.fakes;
}
