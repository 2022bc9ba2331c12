package io.pretrain4j.plugins.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The architecture of pretrain4j as ArchUnit rules (see {@code docs/architecture.md}). The project's
 * own build checks every module with {@link #all()}; a plugin author checks a plugin with
 * {@link #forPlugin(String)}. Rules allow an empty subject, so they apply to any subset of the
 * code; {@link PackageCheck} is what fails when a package a rule names does not exist (a misspelt
 * package would otherwise pass silently).
 */
public final class ArchitectureRules {
    /** The base package of pretrain4j. */
    public static final String BASE = "io.pretrain4j";

    public static final String DOMAIN = BASE + ".domain..";
    public static final String PORTS = BASE + ".ports..";
    public static final String ADAPTERS = BASE + ".adapters..";
    public static final String APPS = BASE + ".app..";
    /** The launcher every app shares (configuration, wiring, logging): it owns the terminal like the apps. */
    public static final String LAUNCHER = BASE + ".launcher..";

    public static final String PLUGIN_HOST = BASE + ".plugins.host..";
    /** The validator loop's core ({@code lib/validator-core}). */
    public static final String VALIDATOR_CORE = BASE + ".validator..";

    private static final String[] FRAMEWORKS = {
        "com.google.inject..", "jakarta.inject..", "javax.inject..", "com.typesafe.config..", "com.fasterxml.jackson.."
    };

    private ArchitectureRules() {}

    /** The domain depends on the JDK alone. */
    public static ArchRule domainDependsOnJdkOnly() {
        return classes()
                .that()
                .resideInAPackage(DOMAIN)
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", DOMAIN)
                .because("the scoring core must run anywhere and be audited on its own")
                .allowEmptyShould(true);
    }

    /** Ports depend on the domain alone (and the JDK). */
    public static ArchRule portsDependOnDomainOnly() {
        return classes()
                .that()
                .resideInAPackage(PORTS)
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", DOMAIN, PORTS)
                .because("ports are the contract between the core and the world, free of any implementation")
                .allowEmptyShould(true);
    }

    /**
     * Classes in a ports package that may hold logic for now: {@code ModelFiles} carries the rules the
     * ports' own records validate with (file names a model needs), and moves with the error codes.
     */
    static final Set<String> PORTS_LOGIC_ALLOWED = Set.of(BASE + ".ports.store.ModelFiles");

    /**
     * Ports declare: interfaces, records, enums and exceptions only; logic lives in libraries
     * ({@code lib/toolkit}, {@code lib/evaluation}) or adapters. Classes nested in those (and the
     * {@link #PORTS_LOGIC_ALLOWED} ones) are let through.
     */
    public static ArchRule portsDeclareOnly() {
        return classes()
                .that()
                .resideInAPackage(PORTS)
                .and()
                .areTopLevelClasses()
                .should(new ArchCondition<JavaClass>("be an interface, a record, an enum or an exception") {
                    @Override
                    public void check(JavaClass item, ConditionEvents events) {
                        boolean declares = item.isInterface()
                                || item.isRecord()
                                || item.isEnum()
                                || item.isAssignableTo(Throwable.class)
                                || item.getSimpleName().equals("package-info")
                                || PORTS_LOGIC_ALLOWED.contains(item.getName());
                        if (!declares) {
                            events.add(
                                    SimpleConditionEvent.violated(
                                            item,
                                            item.getName()
                                                    + " is a class with logic in a ports package; move it to a library module"));
                        }
                    }
                })
                .because("ports are the contract; shared mechanics live in lib/ modules")
                .allowEmptyShould(true);
    }

    /** No adapter reaches into another adapter. */
    public static ArchRule adaptersDoNotDependOnEachOther() {
        return slices().matching(BASE + ".adapters.(*)..")
                .should()
                .notDependOnEachOther()
                .because("adapters are replaceable one by one; shared helpers go to a library module")
                .allowEmptyShould(true);
    }

    /** Adapters never depend on apps. */
    public static ArchRule adaptersDoNotDependOnApps() {
        return noClasses()
                .that()
                .resideInAPackage(ADAPTERS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(APPS, LAUNCHER)
                .because("apps wire adapters, never the other way round")
                .allowEmptyShould(true);
    }

    /** Apps never import adapters: they reach them through the SPI only. */
    public static ArchRule appsDoNotImportAdapters() {
        return noClasses()
                .that()
                .resideInAnyPackage(APPS, LAUNCHER)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ADAPTERS)
                .because("adapters are discovered with ServiceLoader and chosen by name in configuration")
                .allowEmptyShould(true);
    }

    /** No Guice, Typesafe Config or Jackson in the domain and the ports. */
    public static ArchRule noFrameworksInCore() {
        return noClasses()
                .that()
                .resideInAnyPackage(DOMAIN, PORTS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(FRAMEWORKS)
                .because("configuration crosses ports as string maps and wiring belongs to apps")
                .allowEmptyShould(true);
    }

    /**
     * The validator core is wired, it does not wire: no Guice or injection annotations, no Typesafe
     * Config, no picocli, and nothing of the launcher, the apps or the adapters. It takes its settings
     * as a record and its services as ports, so a distributed engine or a test can run it as is.
     */
    public static ArchRule validatorCoreIsFrameworkFree() {
        return noClasses()
                .that()
                .resideInAPackage(VALIDATOR_CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "com.google.inject..",
                        "jakarta.inject..",
                        "javax.inject..",
                        "com.typesafe.config..",
                        "picocli..",
                        LAUNCHER,
                        APPS,
                        ADAPTERS)
                .because(
                        "the validator loop runs wherever its ports are given; configuration and wiring belong to the launcher")
                .allowEmptyShould(true);
    }

    /** Constructor injection only. */
    public static ArchRule noFieldInjection() {
        return noFields()
                .should()
                .beAnnotatedWith("jakarta.inject.Inject")
                .orShould()
                .beAnnotatedWith("com.google.inject.Inject")
                .orShould()
                .beAnnotatedWith("javax.inject.Inject")
                .because("dependencies are constructor parameters, checked with requireNonNull")
                .allowEmptyShould(true);
    }

    /** No {@code throw new RuntimeException/Exception/Throwable}. */
    public static ArchRule noGenericExceptions() {
        return NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS
                .because("failures carry an error code (Pretrain4jException) or a specific JDK type")
                .allowEmptyShould(true);
    }

    /** Only apps write to stdout or stderr. */
    public static ArchRule noStandardStreamsOutsideApps() {
        return noClasses()
                .that()
                .resideOutsideOfPackages(APPS, LAUNCHER)
                .should(ACCESS_STANDARD_STREAMS)
                .because("libraries log through System.Logger; only apps own the terminal")
                .allowEmptyShould(true);
    }

    /**
     * Only apps and the launcher read the environment or system properties: adapters and libraries get
     * environment-derived values as their factory's keys, so they are configured in one way only.
     */
    public static ArchRule noEnvironmentOutsideLaunchers() {
        return noClasses()
                .that()
                .resideOutsideOfPackages(APPS, LAUNCHER)
                .should()
                .callMethod(System.class, "getenv")
                .orShould()
                .callMethod(System.class, "getenv", String.class)
                .orShould()
                .callMethod(System.class, "getProperty", String.class)
                .orShould()
                .callMethod(System.class, "getProperty", String.class, String.class)
                .orShould()
                .callMethod(System.class, "getProperties")
                .because(
                        "the launcher turns the environment into factory keys; a factory read from two places is configured twice")
                .allowEmptyShould(true);
    }

    /** Only apps touch {@code java.util.logging}; libraries use {@code System.Logger}. */
    public static ArchRule noJavaUtilLoggingOutsideApps() {
        // ArchUnit's USE_JAVA_UTIL_LOGGING only sees fields of JUL types; a local Logger.getLogger(..)
        // call slips through it, so the rule is any dependency on the package.
        return noClasses()
                .that()
                .resideOutsideOfPackages(APPS, LAUNCHER)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("java.util.logging..")
                .because("apps choose the logging backend; libraries use System.Logger")
                .allowEmptyShould(true);
    }

    /**
     * No app depends on another ({@code io.pretrain4j.app.<name>..} slices): what they share is the
     * launcher module; a test that needs two apps lives in test code.
     */
    public static ArchRule appsAreIndependent() {
        return slices().matching(BASE + ".app.(*)..")
                .should()
                .notDependOnEachOther()
                .because("each launcher stands alone on lib/launcher; neither app is the other's library")
                .allowEmptyShould(true);
    }

    /** No package cycles anywhere under {@code io.pretrain4j}. */
    public static ArchRule noCycles() {
        return slices().matching(BASE + ".(**)").should().beFreeOfCycles().allowEmptyShould(true);
    }

    /** Every rule pretrain4j's own modules obey. */
    public static List<ArchRule> all() {
        return List.of(
                domainDependsOnJdkOnly(),
                portsDependOnDomainOnly(),
                portsDeclareOnly(),
                adaptersDoNotDependOnEachOther(),
                adaptersDoNotDependOnApps(),
                appsDoNotImportAdapters(),
                appsAreIndependent(),
                noFrameworksInCore(),
                validatorCoreIsFrameworkFree(),
                noFieldInjection(),
                noGenericExceptions(),
                noStandardStreamsOutsideApps(),
                noJavaUtilLoggingOutsideApps(),
                noEnvironmentOutsideLaunchers(),
                noCycles());
    }

    /**
     * What a third-party plugin under {@code pluginPackage} must obey: it reaches pretrain4j only
     * through the domain and the ports (no apps, no adapters, no plugin host), plus the coding rules.
     */
    public static List<ArchRule> forPlugin(String pluginPackage) {
        ArchRule onlyPorts = noClasses()
                .that()
                .resideInAPackage(pluginPackage + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(APPS, LAUNCHER, ADAPTERS, PLUGIN_HOST, BASE + ".plugins.testkit..")
                .because("a plugin talks to pretrain4j through ports and domain types only")
                .allowEmptyShould(true);
        ArchRule noStreams = noClasses()
                .that()
                .resideInAPackage(pluginPackage + "..")
                .should(ACCESS_STANDARD_STREAMS)
                .because("plugins log through System.Logger")
                .allowEmptyShould(true);
        ArchRule noGeneric = noClasses()
                .that()
                .resideInAPackage(pluginPackage + "..")
                .should()
                .callConstructor(RuntimeException.class, String.class)
                .orShould()
                .callConstructor(Exception.class, String.class)
                .because("failures carry an error code (Pretrain4jException)")
                .allowEmptyShould(true);
        return List.of(onlyPorts, noStreams, noGeneric, noFieldInjection());
    }

    /**
     * Checks every rule and reports all violations at once.
     *
     * @throws AssertionError listing each violated rule with ArchUnit's message
     */
    public static void check(JavaClasses classes, List<ArchRule> rules) {
        List<String> failures = new ArrayList<>();
        for (ArchRule rule : rules) {
            EvaluationResult result = rule.evaluate(classes);
            if (result.hasViolation()) {
                failures.add(result.getFailureReport().toString());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(String.join("\n\n", failures));
        }
    }
}
