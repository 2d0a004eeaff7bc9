package dev.postern;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering: storage, crypto and services know nothing of HTTP; crypto knows nothing of storage. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.postern");
    }

    @Test
    void domainAndStorageDoNotKnowHttp() {
        noClasses().that().resideInAnyPackage("dev.postern.vault..", "dev.postern.store..", "dev.postern.intake..",
                        "dev.postern.desk..", "dev.postern.admin..", "dev.postern.config..", "dev.postern.sanitize..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "jakarta.servlet..",
                        "org.eclipse.jetty..", "dev.postern.web..", "dev.postern.cli..", "gg.jte..")
                .check(classes);
    }

    @Test
    void cryptoDoesNotKnowStorageOrServices() {
        noClasses().that().resideInAPackage("dev.postern.vault..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.postern.store..", "dev.postern.intake..",
                        "dev.postern.desk..", "dev.postern.admin..", "org.jdbi..", "java.sql..")
                .check(classes);
    }

    @Test
    void storageDoesNotKnowServices() {
        noClasses().that().resideInAPackage("dev.postern.store..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.postern.intake..", "dev.postern.desk..",
                        "dev.postern.admin..")
                .check(classes);
    }

    @Test
    void webLayerDoesNotTouchStorageDirectlyExceptOrganizations() {
        noClasses().that().resideInAPackage("dev.postern.web..")
                .should().dependOnClassesThat().haveSimpleName("Reports")
                .orShould().dependOnClassesThat().haveSimpleName("Recipients")
                .orShould().dependOnClassesThat().haveSimpleName("BlobStore")
                .orShould().dependOnClassesThat().resideInAPackage("org.jdbi..")
                .check(classes);
    }

    @Test
    void packageSlicesAreFreeOfCycles() {
        slices().matching("dev.postern.(*)..").should().beFreeOfCycles().check(classes);
    }

    /** The sanitizer's format packages (image, media, office, pdf...) among themselves. */
    @Test
    void sanitizerPackagesAreFreeOfCycles() {
        slices().matching("dev.postern.sanitize.(*)..").should().beFreeOfCycles().check(classes);
    }
}
