package io.pretrain4j.app.validator;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pretrain4j.plugins.testkit.ArchitectureRules;
import io.pretrain4j.plugins.testkit.PackageCheck;
import org.junit.jupiter.api.Test;

/** Every module of pretrain4j on this app's class path obeys the architecture rules of the testkit. */
class ProjectArchitectureTest {
    @Test
    void everyModuleObeysTheArchitecture() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // other modules' test-jars (the fake subtensor node) are test code too
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages(ArchitectureRules.BASE);
        PackageCheck.assertPackagesExist(
                classes,
                "io.pretrain4j.domain",
                "io.pretrain4j.domain.scoring",
                "io.pretrain4j.ports",
                "io.pretrain4j.ports.spi",
                "io.pretrain4j.plugins.host",
                "io.pretrain4j.plugins.testkit",
                "io.pretrain4j.app.validator",
                "io.pretrain4j.adapters.wandb",
                "io.pretrain4j.adapters.hf",
                "io.pretrain4j.adapters.chain",
                "io.pretrain4j.toolkit.files",
                "io.pretrain4j.toolkit.config",
                "io.pretrain4j.evaluation",
                "io.pretrain4j.crypto.sr25519",
                "io.pretrain4j.launcher",
                "io.pretrain4j.launcher.config",
                "io.pretrain4j.launcher.cli",
                "io.pretrain4j.validator",
                "io.pretrain4j.formats.safetensors",
                "io.pretrain4j.formats.config",
                "io.pretrain4j.formats.schedule");
        ArchitectureRules.check(classes, ArchitectureRules.all());
    }
}
