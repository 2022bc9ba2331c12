package io.pretrain4j.adapters.hf.localhub;

import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.RemoteModelStoreFactory;
import io.pretrain4j.toolkit.config.FactoryConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** {@code local-hub}: key {@code root} (default {@code local-hub}), the directory miners and validators share. */
public final class LocalHubStoreFactory implements RemoteModelStoreFactory {
    /** The factory's name. */
    public static final String NAME = "local-hub";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RemoteModelStore create(Map<String, String> config) {
        FactoryConfig settings = new FactoryConfig(NAME, config, Set.of("root"));
        String root = settings.string("root", "local-hub");
        if (root.isBlank()) {
            settings.problem("root is empty");
        }
        settings.done();
        return new LocalHubStore(Path.of(root));
    }
}
