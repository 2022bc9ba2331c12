package io.pretrain4j.ports.archfixture;

import java.nio.file.Files;
import java.nio.file.Path;

/** Violates "ports declare": a class with logic (file I/O) in a ports package. */
public final class PortWithLogic {
    private PortWithLogic() {}

    public static long size(Path file) throws java.io.IOException {
        return Files.size(file);
    }
}
