package io.pretrain4j.adapters.beta.archfixture;

/** Violates "only launchers read the environment": an adapter reading a variable and a system property itself. */
public final class EnvironmentReader {
    public String token() {
        return System.getenv("SOME_TOKEN") + System.getProperty("user.home");
    }
}
