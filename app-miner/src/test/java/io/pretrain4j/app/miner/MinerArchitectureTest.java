package io.pretrain4j.app.miner;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pretrain4j.plugins.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The miner app, with everything it runs with, obeys the project's rules (no adapter imports among them). */
class MinerArchitectureTest {
    @Test
    void theMinerObeysTheArchitecture() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ArchitectureRules.BASE);
        ArchitectureRules.check(classes, ArchitectureRules.all());
    }
}
