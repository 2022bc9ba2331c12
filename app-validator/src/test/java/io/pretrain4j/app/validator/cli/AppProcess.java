package io.pretrain4j.app.validator.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The command line that runs the app in its own JVM, laid out as bin/pretrain4j does, from the test's class path. */
public final class AppProcess {
    private static final List<String> TEST_ONLY = List.of(
            "test-classes",
            "junit",
            "assertj",
            "archunit",
            "opentest4j",
            "apiguardian",
            "byte-buddy",
            "testkit",
            "surefire",
            "-tests.jar");

    private AppProcess() {}

    /** Variables through which the caller's environment would change the child JVM (and its output: "Picked up ..."). */
    static final List<String> JVM_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    /**
     * A process builder for {@link #command}, independent of the caller's JVM environment: the
     * variables that would inject JVM options are removed (a test must not depend on how it was started).
     */
    public static ProcessBuilder builder(String... args) {
        ProcessBuilder builder = new ProcessBuilder(command(args));
        clean(builder.environment());
        return builder;
    }

    /** Removes the JVM option variables from {@code environment}. */
    static Map<String, String> clean(Map<String, String> environment) {
        JVM_VARIABLES.forEach(environment::remove);
        return environment;
    }

    /** {@code java --module-path ... -m io.pretrain4j.app.validator/...Main <args>}. */
    public static List<String> command(String... args) {
        List<String> entries = Arrays.stream(
                        System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> TEST_ONLY.stream().noneMatch(entry::contains))
                .toList();
        // as bin/pretrain4j: libtorch's native jar is not a valid module and goes on the class path
        String modulePath = entries.stream()
                .filter(entry -> !entry.contains("pytorch-native-"))
                .collect(Collectors.joining(File.pathSeparator));
        String classPath = entries.stream()
                .filter(entry -> entry.contains("pytorch-native-"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED,ai.djl.pytorch_engine,ai.djl.api",
                "--module-path",
                modulePath,
                "--add-modules",
                "org.slf4j",
                "--class-path",
                classPath,
                "-m",
                "io.pretrain4j.app.validator/io.pretrain4j.app.validator.cli.Main"));
        command.addAll(List.of(args));
        return command;
    }
}
