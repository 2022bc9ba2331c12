package io.pretrain4j.ports.store;

import io.pretrain4j.ports.NamedFactory;

/** Creates a {@link RemoteModelStore} ({@code hf}, {@code local-hub}, or a plugin's). */
public interface RemoteModelStoreFactory extends NamedFactory<RemoteModelStore> {}
