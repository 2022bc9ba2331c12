package io.pretrain4j.app.archfixture;

import java.util.Map;

/** What only launchers may do: read the environment, and hand it to factories as keys. */
public final class EnvironmentReadingApp {
    public Map<String, String> keys() {
        return Map.of("token", String.valueOf(System.getenv().get("SOME_TOKEN")));
    }
}
