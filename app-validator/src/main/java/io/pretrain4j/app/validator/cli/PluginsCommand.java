package io.pretrain4j.app.validator.cli;

import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.launcher.cli.ConfigOption;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.plugins.host.LoadedPlugin;
import io.pretrain4j.plugins.host.PluginRegistry;
import io.pretrain4j.ports.NamedFactory;
import io.pretrain4j.ports.dataset.TokenizerFactory;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code plugins}: what the plugin host discovered, and what it refused. */
@Command(
        name = "plugins",
        mixinStandardHelpOptions = true,
        description = "Lists the discovered plugins with their factories, and the problems met.")
public final class PluginsCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--defaults", description = "also print every factory's keys with a default, and the default")
    private boolean defaults;

    @Spec
    private CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Override
    public Integer call() {
        PluginRegistry registry = Bootstrap.injector(config.file()).getInstance(PluginRegistry.class);
        for (LoadedPlugin plugin : registry.plugins()) {
            out().println(plugin.name() + "  [" + plugin.className() + ", " + plugin.origin() + "]");
            plugin.factories().forEach((kind, names) -> out().println("    " + kind + ": " + String.join(", ", names)));
        }
        for (String name : registry.names(FactoryKind.TOKENIZER)) {
            TokenizerFactory factory = registry.factory(FactoryKind.TOKENIZER, name);
            out().println("tokenizer " + name + " reproduces: " + String.join(", ", factory.tokenizerIds()));
        }
        if (defaults) {
            for (FactoryKind<?> kind : FactoryKind.ALL) {
                for (String name : registry.names(kind)) {
                    NamedFactory<?> factory = registry.factory(kind, name);
                    if (!factory.defaults().isEmpty()) {
                        out().println(kind.label() + " " + name + " defaults:");
                        factory.defaults().forEach((key, value) -> out().println("    " + key + " = " + value));
                    }
                }
            }
        }
        registry.problems().forEach(problem -> out().println("REFUSED: " + problem));
        return registry.problems().isEmpty() ? 0 : 1;
    }
}
