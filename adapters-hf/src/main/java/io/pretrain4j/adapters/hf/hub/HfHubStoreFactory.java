package io.pretrain4j.adapters.hf.hub;

import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.RemoteModelStoreFactory;
import java.util.Map;

/** {@code hf}: the Hugging Face Hub. Its keys and defaults: {@link HfHubConfig}. */
public final class HfHubStoreFactory implements RemoteModelStoreFactory {
    /** The factory's name. */
    public static final String NAME = "hf";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RemoteModelStore create(Map<String, String> config) {
        return new HfHubStore(new HubHttp(HfHubConfig.from(config).http(), duration -> Thread.sleep(duration)));
    }

    @Override
    public Map<String, String> defaults() {
        return HfHubConfig.DEFAULTS;
    }
}
