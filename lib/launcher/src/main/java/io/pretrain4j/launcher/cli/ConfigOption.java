package io.pretrain4j.launcher.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --config} option every command that reads the configuration offers, as a picocli mixin. */
public final class ConfigOption {
    @Option(names = "--config", paramLabel = "<file>", description = "a HOCON config file")
    private Path file;

    /** The file given, if any. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }
}
