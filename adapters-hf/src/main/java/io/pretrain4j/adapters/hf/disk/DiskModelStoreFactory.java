package io.pretrain4j.adapters.hf.disk;

import io.pretrain4j.ports.store.LocalModelStore;
import io.pretrain4j.ports.store.LocalModelStoreFactory;
import io.pretrain4j.toolkit.config.FactoryConfig;
import io.pretrain4j.toolkit.config.RootConfig;
import java.util.Map;

/** {@code disk}: key {@code root} ({@link #DEFAULTS}: {@code model-store}, as the reference's {@code model_dir}). */
public final class DiskModelStoreFactory implements LocalModelStoreFactory {
    /** The factory's name. */
    public static final String NAME = "disk";
    /** Every default, as written in configuration. */
    public static final Map<String, String> DEFAULTS = FactoryConfig.defaults("root", "model-store");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LocalModelStore create(Map<String, String> config) {
        return new DiskModelStore(RootConfig.from(NAME, DEFAULTS, config).root());
    }

    @Override
    public Map<String, String> defaults() {
        return DEFAULTS;
    }
}
