package io.pretrain4j.plugins.host;

import java.util.List;
import java.util.Map;

/**
 * A plugin the host accepted.
 *
 * @param name the plugin's name
 * @param className its implementation class
 * @param origin where it came from: the module name, or the class path location
 * @param factories factory names by kind label
 */
public record LoadedPlugin(String name, String className, String origin, Map<String, List<String>> factories) {
    public LoadedPlugin {
        factories = Map.copyOf(factories);
    }
}
