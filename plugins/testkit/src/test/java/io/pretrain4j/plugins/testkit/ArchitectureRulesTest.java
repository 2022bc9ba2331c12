package io.pretrain4j.plugins.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.pretrain4j.adapters.alpha.archfixture.AlphaAdapter;
import io.pretrain4j.adapters.beta.archfixture.AdapterUsingApp;
import io.pretrain4j.adapters.beta.archfixture.BetaAdapter;
import io.pretrain4j.adapters.beta.archfixture.EnvironmentReader;
import io.pretrain4j.adapters.beta.archfixture.FieldInjected;
import io.pretrain4j.adapters.beta.archfixture.GenericThrower;
import io.pretrain4j.adapters.beta.archfixture.JulUser;
import io.pretrain4j.adapters.beta.archfixture.Printer;
import io.pretrain4j.app.alphafixture.AlphaApp;
import io.pretrain4j.app.archfixture.AppImportingAdapter;
import io.pretrain4j.app.archfixture.AppLauncher;
import io.pretrain4j.app.archfixture.EnvironmentReadingApp;
import io.pretrain4j.app.betafixture.AppUsingAnotherApp;
import io.pretrain4j.cyclefixture.a.First;
import io.pretrain4j.cyclefixture.b.Second;
import io.pretrain4j.domain.archfixture.CleanDomain;
import io.pretrain4j.domain.archfixture.DomainUsingPorts;
import io.pretrain4j.ports.archfixture.DeclaredFailure;
import io.pretrain4j.ports.archfixture.DeclaredKind;
import io.pretrain4j.ports.archfixture.DeclaredPort;
import io.pretrain4j.ports.archfixture.DeclaredShape;
import io.pretrain4j.ports.archfixture.PortUsingGuice;
import io.pretrain4j.ports.archfixture.PortUsingTestkit;
import io.pretrain4j.ports.archfixture.PortWithLogic;
import io.pretrain4j.thirdparty.bad.BadPlugin;
import io.pretrain4j.thirdparty.good.GoodPlugin;
import io.pretrain4j.validator.archfixture.CleanCore;
import io.pretrain4j.validator.archfixture.CoreUsingApp;
import io.pretrain4j.validator.archfixture.CoreUsingGuice;
import io.pretrain4j.validator.archfixture.CoreWithCommand;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Each rule catches a deliberately bad fixture class and passes clean code. */
class ArchitectureRulesTest {
    private static final ClassFileImporter IMPORTER = new ClassFileImporter();

    @Test
    void domainDependsOnJdkOnly() {
        assertCatches(ArchitectureRules::domainDependsOnJdkOnly, DomainUsingPorts.class, "PortErrorCode");
        assertPasses(ArchitectureRules::domainDependsOnJdkOnly, CleanDomain.class);
    }

    @Test
    void portsDependOnDomainOnly() {
        assertCatches(ArchitectureRules::portsDependOnDomainOnly, PortUsingTestkit.class, "PackageCheck");
    }

    @Test
    void portsDeclareOnly() {
        assertCatches(
                ArchitectureRules::portsDeclareOnly,
                PortWithLogic.class,
                "PortWithLogic is a class with logic in a ports package");
        assertPasses(
                ArchitectureRules::portsDeclareOnly,
                DeclaredPort.class,
                DeclaredShape.class,
                DeclaredKind.class,
                DeclaredFailure.class);
    }

    @Test
    void noEnvironmentOutsideLaunchers() {
        assertCatches(ArchitectureRules::noEnvironmentOutsideLaunchers, EnvironmentReader.class, "getenv");
        assertCatches(ArchitectureRules::noEnvironmentOutsideLaunchers, EnvironmentReader.class, "getProperty");
        assertPasses(ArchitectureRules::noEnvironmentOutsideLaunchers, EnvironmentReadingApp.class);
    }

    @Test
    void appsAreIndependent() {
        assertCatches(
                ArchitectureRules::appsAreIndependent, List.of(AppUsingAnotherApp.class, AlphaApp.class), "AlphaApp");
        assertPasses(ArchitectureRules::appsAreIndependent, AlphaApp.class, AppLauncher.class);
    }

    @Test
    void adaptersDoNotDependOnEachOther() {
        assertCatches(
                ArchitectureRules::adaptersDoNotDependOnEachOther,
                List.of(AlphaAdapter.class, BetaAdapter.class),
                "BetaAdapter");
    }

    @Test
    void adaptersDoNotDependOnApps() {
        assertCatches(
                ArchitectureRules::adaptersDoNotDependOnApps,
                List.of(AdapterUsingApp.class, AppLauncher.class),
                "AppLauncher");
    }

    @Test
    void appsDoNotImportAdapters() {
        assertCatches(
                ArchitectureRules::appsDoNotImportAdapters,
                List.of(AppImportingAdapter.class, AlphaAdapter.class),
                "AlphaAdapter");
    }

    @Test
    void noFrameworksInCore() {
        assertCatches(ArchitectureRules::noFrameworksInCore, PortUsingGuice.class, "com.google.inject.Injector");
    }

    @Test
    void validatorCoreIsFrameworkFree() {
        assertCatches(
                ArchitectureRules::validatorCoreIsFrameworkFree, CoreUsingGuice.class, "com.google.inject.Injector");
        assertCatches(ArchitectureRules::validatorCoreIsFrameworkFree, CoreWithCommand.class, "picocli.CommandLine");
        assertCatches(ArchitectureRules::validatorCoreIsFrameworkFree, CoreUsingApp.class, "AppLauncher");
        assertPasses(ArchitectureRules::validatorCoreIsFrameworkFree, CleanCore.class);
    }

    @Test
    void noFieldInjection() {
        assertCatches(ArchitectureRules::noFieldInjection, FieldInjected.class, "FieldInjected.dependency");
    }

    @Test
    void noGenericExceptions() {
        assertCatches(ArchitectureRules::noGenericExceptions, GenericThrower.class, "RuntimeException");
    }

    @Test
    void noStandardStreamsOutsideApps() {
        assertCatches(ArchitectureRules::noStandardStreamsOutsideApps, Printer.class, "System.out");
        assertPasses(ArchitectureRules::noStandardStreamsOutsideApps, AppLauncher.class);
    }

    @Test
    void noJavaUtilLoggingOutsideApps() {
        assertCatches(ArchitectureRules::noJavaUtilLoggingOutsideApps, JulUser.class, "java.util.logging");
    }

    @Test
    void noCycles() {
        assertCatches(ArchitectureRules::noCycles, List.of(First.class, Second.class), "Cycle detected");
    }

    @Test
    void pretrain4jOwnTestkitAndPortsObeyEveryRule() {
        JavaClasses classes = IMPORTER.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pretrain4j");
        PackageCheck.assertPackagesExist(
                classes,
                "io.pretrain4j.domain",
                "io.pretrain4j.ports",
                "io.pretrain4j.ports.spi",
                "io.pretrain4j.plugins.testkit");
        ArchitectureRules.check(classes, ArchitectureRules.all());
    }

    @Test
    void checkReportsEveryViolatedRuleAtOnce() {
        JavaClasses classes = IMPORTER.importClasses(Printer.class, GenericThrower.class);
        assertThatThrownBy(() -> ArchitectureRules.check(classes, ArchitectureRules.all()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("System.out")
                .hasMessageContaining("RuntimeException");
    }

    @Test
    void aMisspeltPackageFailsThePackageCheck() {
        JavaClasses classes = IMPORTER.importClasses(CleanDomain.class);
        PackageCheck.assertPackagesExist(classes, "io.pretrain4j.domain");
        assertThatThrownBy(() -> PackageCheck.assertPackagesExist(classes, "io.pretrain4j.domian"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("[io.pretrain4j.domian]");
    }

    @Test
    void pluginRulesPassAGoodPluginAndCatchOneThatReachesIntoAnApp() {
        ArchitectureRules.check(
                IMPORTER.importClasses(GoodPlugin.class), ArchitectureRules.forPlugin("io.pretrain4j.thirdparty.good"));
        assertThatThrownBy(() -> ArchitectureRules.check(
                        IMPORTER.importClasses(BadPlugin.class, AppLauncher.class),
                        ArchitectureRules.forPlugin("io.pretrain4j.thirdparty.bad")))
                .hasMessageContaining("AppLauncher")
                .hasMessageContaining("a plugin talks to pretrain4j through ports and domain types only");
    }

    private static void assertCatches(Supplier<ArchRule> rule, Class<?> fixture, String expected) {
        assertCatches(rule, List.of(fixture), expected);
    }

    private static void assertCatches(Supplier<ArchRule> rule, List<Class<?>> fixtures, String expected) {
        EvaluationResult result = rule.get().evaluate(IMPORTER.importClasses(fixtures));
        assertThat(result.hasViolation())
                .as("rule %s on %s", rule.get().getDescription(), fixtures)
                .isTrue();
        assertThat(result.getFailureReport().toString()).contains(expected);
    }

    private static void assertPasses(Supplier<ArchRule> rule, Class<?>... classes) {
        EvaluationResult result = rule.get().evaluate(IMPORTER.importClasses(classes));
        assertThat(result.hasViolation())
                .as(result.getFailureReport().toString())
                .isFalse();
    }
}
