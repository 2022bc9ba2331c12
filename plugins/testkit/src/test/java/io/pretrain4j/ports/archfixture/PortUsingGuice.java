package io.pretrain4j.ports.archfixture;

import com.google.inject.Injector;

/** Violates "no Guice, Typesafe Config or Jackson in domain and ports". */
public interface PortUsingGuice {
    Injector injector();
}
