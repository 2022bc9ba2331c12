package io.pretrain4j.adapters.hf.localhub;

import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.RemoteModelStoreFactory;
import io.pretrain4j.toolkit.config.FactoryConfig;
import io.pretrain4j.toolkit.config.RootConfig;
import java.util.Map;

/** {@code local-hub}: key {@code root} ({@link #DEFAULTS}: {@code local-hub}), the directory miners and validators share. */
public final class LocalHubStoreFactory implements RemoteModelStoreFactory {
    /** The factory's name. */
    public static final String NAME = "local-hub";
    /** Every default, as written in configuration. */
    public static final Map<String, String> DEFAULTS = FactoryConfig.defaults("root", "local-hub");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RemoteModelStore create(Map<String, String> config) {
        return new LocalHubStore(RootConfig.from(NAME, DEFAULTS, config).root());
    }

    @Override
    public Map<String, String> defaults() {
        return DEFAULTS;
    }
}
