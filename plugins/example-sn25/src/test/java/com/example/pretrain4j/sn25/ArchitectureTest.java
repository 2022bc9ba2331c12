package com.example.pretrain4j.sn25;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pretrain4j.plugins.testkit.ArchitectureRules;
import io.pretrain4j.plugins.testkit.PackageCheck;
import org.junit.jupiter.api.Test;

/** The testkit's plugin rules, as a third party runs them: the plugin passes, a violating fixture fails. */
class ArchitectureTest {
    @Test
    void thePluginObeysPretrain4jsArchitecture() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.example.pretrain4j.sn25");
        PackageCheck.assertPackagesExist(classes, "com.example.pretrain4j.sn25");
        ArchitectureRules.check(classes, ArchitectureRules.forPlugin("com.example.pretrain4j.sn25"));
    }

    @Test
    void aPluginReachingIntoTheHostFailsWithArchUnitsMessage() {
        JavaClasses fixture = new ClassFileImporter().importPackages("com.example.pretrain4j.sn25.fixture");
        PackageCheck.assertPackagesExist(fixture, "com.example.pretrain4j.sn25.fixture");
        assertThatThrownBy(() -> ArchitectureRules.check(
                        fixture, ArchitectureRules.forPlugin("com.example.pretrain4j.sn25.fixture")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("a plugin talks to pretrain4j through ports and domain types only")
                .hasMessageContaining("ReachesIntoTheHost")
                .hasMessageContaining("io.pretrain4j.plugins.host.PluginHost");
    }
}
