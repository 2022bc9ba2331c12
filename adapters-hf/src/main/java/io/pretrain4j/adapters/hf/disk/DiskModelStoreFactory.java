package io.pretrain4j.adapters.hf.disk;

import io.pretrain4j.ports.store.LocalModelStore;
import io.pretrain4j.ports.store.LocalModelStoreFactory;
import io.pretrain4j.toolkit.config.FactoryConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** {@code disk}: key {@code root} (default {@code model-store}, as the reference's {@code model_dir}). */
public final class DiskModelStoreFactory implements LocalModelStoreFactory {
    /** The factory's name. */
    public static final String NAME = "disk";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LocalModelStore create(Map<String, String> config) {
        FactoryConfig settings = new FactoryConfig(NAME, config, Set.of("root"));
        String root = settings.string("root", "model-store");
        if (root.isBlank()) {
            settings.problem("root is empty");
        }
        settings.done();
        return new DiskModelStore(Path.of(root));
    }
}
