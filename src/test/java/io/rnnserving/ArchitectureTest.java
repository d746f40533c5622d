package io.rnnserving;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** What STYLE.md says of the packages, pinned: it stays true only while a test says so. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.rnnserving");

    @Test
    void theEngineIsPlainJavaAndKnowsNoOtherPackageOfTheService() {
        noClasses().that().resideInAPackage("io.rnnserving.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "tools.jackson..",
                        "com.fasterxml..", "io.jhdf..", "jakarta..", "io.micrometer..", "io.swagger..")
                .orShould().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "are in another package of the service",
                        c -> c.getPackageName().startsWith("io.rnnserving")
                                && !c.getPackageName().startsWith("io.rnnserving.engine")))
                .check(MAIN);
    }

    @Test
    void loadingKnowsNeitherSpringNorAnyProtocol() {
        noClasses().that().resideInAPackage("io.rnnserving.loading..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "io.rnnserving.predict..",
                        "io.rnnserving.kserve..", "io.rnnserving.tfserving..", "io.rnnserving.modelinfo..",
                        "io.rnnserving.protocol..")
                .check(MAIN);
    }

    @Test
    void theRepositoryKnowsNeitherSpringNorAnyProtocol() {
        noClasses().that().resideInAPackage("io.rnnserving.repository..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta..",
                        "io.rnnserving.predict..", "io.rnnserving.kserve..", "io.rnnserving.tfserving..",
                        "io.rnnserving.modelinfo..", "io.rnnserving.protocol..", "io.rnnserving.system..")
                .check(MAIN);
    }

    @Test
    void noProtocolDependsOnAnother() {
        slices().matching("io.rnnserving.(predict|kserve|tfserving|modelinfo)..")
                .should().notDependOnEachOther()
                .check(MAIN);
    }
}
