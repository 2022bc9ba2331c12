package io.pretrain4j.launcher.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a HOCON config file with explicit limits: at most {@value #MAX_FILE_BYTES} bytes and
 * {@value #MAX_NESTING} levels of nesting (Typesafe Config parses recursively: 10^5 levels ended in
 * a {@link StackOverflowError}), and no {@code include url(...)} (a config file must not fetch and
 * apply what a server answers). File includes, relative to the including file as HOCON defines them,
 * and classpath includes are read under the same limits.
 */
final class ConfigFiles {
    static final int MAX_FILE_BYTES = 4 << 20;
    static final int MAX_NESTING = 64;
    private static final Pattern URL_LIKE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

    private ConfigFiles() {}

    /** Parses {@code path}; a violation is a {@link ConfigException} naming the file and, where it applies, the line. */
    static Config parse(Path path) {
        check(path.toFile());
        try {
            return ConfigFactory.parseFile(
                    path.toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false).setIncluder(new Includer(null)));
        } catch (StackOverflowError e) {
            // the pre-scan bounds the file itself; this only catches what an include brought in
            throw new ConfigException.Generic(
                    path + ": nested too deeply to read (more than " + MAX_NESTING + " levels in an included file?)");
        }
    }

    /** Size and nesting of one file, checked before the recursive parser sees it. */
    static void check(File file) {
        long size = file.length();
        if (size > MAX_FILE_BYTES) {
            throw new ConfigException.Generic(file + ": " + size + " bytes, more than the " + (MAX_FILE_BYTES >> 20)
                    + " MB a config file may be");
        }
        String text;
        try {
            text = Files.readString(file.toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException.Generic(file + ": cannot read: " + e.getMessage());
        }
        int depth = 0;
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c == '#' || (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/')) {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                    i++;
                }
            } else if (c == '"') {
                if (text.startsWith("\"\"\"", i)) {
                    int end = text.indexOf("\"\"\"", i + 3);
                    end = end < 0 ? text.length() : end + 2;
                    line += (int) text.substring(i, Math.min(end + 1, text.length()))
                            .chars()
                            .filter(ch -> ch == '\n')
                            .count();
                    i = end;
                } else {
                    for (i++; i < text.length() && text.charAt(i) != '"' && text.charAt(i) != '\n'; i++) {
                        if (text.charAt(i) == '\\') {
                            i++;
                        }
                    }
                    if (i < text.length() && text.charAt(i) == '\n') {
                        line++;
                    }
                }
            } else if (c == '{' || c == '[' || c == '(') {
                if (++depth > MAX_NESTING) {
                    throw new ConfigException.Generic(
                            file + ": line " + line + ": nested more than " + MAX_NESTING + " levels deep");
                }
            } else if (c == '}' || c == ']' || c == ')') {
                depth = Math.max(0, depth - 1);
            }
        }
    }

    /** Refuses URL includes; checks included files before they are parsed. */
    private record Includer(ConfigIncluder fallback)
            implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL, ConfigIncluderClasspath {
        @Override
        public ConfigIncluder withFallback(ConfigIncluder next) {
            return next == fallback ? this : new Includer(next);
        }

        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            if (URL_LIKE.matcher(what).matches()
                    && !what.toLowerCase(Locale.ROOT).startsWith("classpath:")) {
                throw refused(context, what);
            }
            return fallback.include(context, what);
        }

        @Override
        public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
            throw refused(context, "url(" + what + ")");
        }

        @Override
        public ConfigObject includeFile(ConfigIncludeContext context, File what) {
            if (what.isFile()) {
                check(what);
            }
            return ConfigFactory.parseFile(what, context.parseOptions()).root();
        }

        @Override
        public ConfigObject includeResources(ConfigIncludeContext context, String what) {
            return ConfigFactory.parseResources(what, context.parseOptions()).root();
        }

        private static ConfigException refused(ConfigIncludeContext context, String what) {
            return new ConfigException.Generic(
                    "include of " + what + " refused: a config file may include files and classpath"
                            + " resources, never URLs (pretrain4j does not fetch configuration from the network)");
        }
    }
}
