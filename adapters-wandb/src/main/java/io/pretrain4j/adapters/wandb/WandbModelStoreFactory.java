package io.pretrain4j.adapters.wandb;

import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.RemoteModelStoreFactory;
import java.util.Map;

/** {@code wandb}: models as files of signed W&amp;B runs ({@link WandbModelStore}). Its keys and defaults: {@link WandbStoreConfig}. */
public final class WandbModelStoreFactory implements RemoteModelStoreFactory {
    /** The factory's name. */
    public static final String NAME = "wandb";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RemoteModelStore create(Map<String, String> config) {
        WandbStoreConfig settings = WandbStoreConfig.from(config);
        return new WandbModelStore(
                new WandbApi(new WandbHttp(settings.http()), settings.maxRuns()),
                settings.project(),
                settings.version());
    }

    @Override
    public Map<String, String> defaults() {
        return WandbStoreConfig.DEFAULTS;
    }
}
