package io.pretrain4j.ports.store;

import io.pretrain4j.ports.NamedFactory;

/** Creates a {@link LocalModelStore} ({@code disk}); key {@code root} is its directory. */
public interface LocalModelStoreFactory extends NamedFactory<LocalModelStore> {}
