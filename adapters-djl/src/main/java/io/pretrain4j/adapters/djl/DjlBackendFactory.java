package io.pretrain4j.adapters.djl;

import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.inference.InferenceBackendFactory;
import java.util.Map;

/** {@code djl-pytorch}: see {@link DjlConfig} for the keys. */
public final class DjlBackendFactory implements InferenceBackendFactory {
    /** The factory name. */
    public static final String NAME = "djl-pytorch";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public InferenceBackend create(Map<String, String> config) {
        return new DjlBackend(DjlConfig.from(config));
    }

    @Override
    public Map<String, String> defaults() {
        return DjlConfig.DEFAULTS;
    }
}
