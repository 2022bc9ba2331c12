package io.pretrain4j.integration;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pretrain4j.plugins.testkit.ArchitectureRules;
import io.pretrain4j.plugins.testkit.PackageCheck;
import org.junit.jupiter.api.Test;

/**
 * Both apps on one class path (only this test-only module has them together): every rule holds over
 * all of pretrain4j's main code, {@code appsAreIndependent} included.
 */
class AppsArchitectureTest {
    @Test
    void bothAppsAndEverythingUnderThemObeyTheArchitecture() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages(ArchitectureRules.BASE);
        PackageCheck.assertPackagesExist(
                classes, "io.pretrain4j.app.validator", "io.pretrain4j.app.miner", "io.pretrain4j.launcher");
        ArchitectureRules.check(classes, ArchitectureRules.all());
    }
}
