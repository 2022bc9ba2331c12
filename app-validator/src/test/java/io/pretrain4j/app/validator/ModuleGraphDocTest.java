package io.pretrain4j.app.validator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/architecture.md's "Modules" section names every module of the Maven reactor, and no other. */
class ModuleGraphDocTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theArchitecturePageDescribesEveryModuleOfTheReactor() throws IOException {
        TreeSet<String> reactor = new TreeSet<>(leafModules(ROOT, ""));
        assertThat(reactor)
                .as("the reactor as read from the poms")
                .contains("domain", "ports", "app-validator", "plugins/testkit");

        String page = Files.readString(ROOT.resolve("docs/architecture.md"));
        int start = page.indexOf("\n## Modules\n");
        assertThat(start).as("a '## Modules' section").isPositive();
        int end = page.indexOf("\n## ", start + 1);
        String section = page.substring(start, end < 0 ? page.length() : end);
        TreeSet<String> documented = new TreeSet<>();
        Matcher heading = Pattern.compile("(?m)^### `([^`]+)`$").matcher(section);
        while (heading.find()) {
            documented.add(heading.group(1));
        }
        assertThat(documented)
                .as("modules with a paragraph in docs/architecture.md")
                .isEqualTo(reactor);
    }

    /** The modules with code under {@code dir}: a pom listing modules is followed into them, the rest are leaves. */
    private static List<String> leafModules(Path dir, String prefix) throws IOException {
        String pom = Files.readString(dir.resolve("pom.xml"));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        List<String> found = new ArrayList<>();
        boolean any = false;
        while (module.find()) {
            any = true;
            String name = module.group(1).trim();
            found.addAll(leafModules(dir.resolve(name), prefix + name + "/"));
        }
        if (!any) {
            found.add(prefix.substring(0, prefix.length() - 1));
        }
        return found;
    }
}
