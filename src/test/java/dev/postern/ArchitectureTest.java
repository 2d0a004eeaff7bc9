package dev.postern;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering: storage, crypto and services know nothing of HTTP; crypto knows nothing of storage;
 * the web server's JVM reaches no sanitizer decoder or native code (those run in worker processes).
 */
class ArchitectureTest {
    private static JavaClasses classes;
    /** Packages whose classes run in the web server's JVM. */
    private static final String[] SERVER_SIDE = {"dev.postern.web..", "dev.postern.desk..", "dev.postern.intake..",
            "dev.postern.store..", "dev.postern.vault..", "dev.postern.admin..", "dev.postern.config.."};
    /**
     * What only a sanitizer worker (or the {@code postern sanitize} CLI) may load: native code,
     * decoders, the cleaners and what wires them.
     */
    private static final DescribedPredicate<JavaClass> WORKER_SIDE = resideInAnyPackage("org.bytedeco..",
            "org.opencv..", "org.apache.pdfbox..", "org.apache.fontbox..", "javax.imageio..", "com.twelvemonkeys..",
            "org.jsoup..", "org.apache.commons.compress..",
            "dev.postern.sanitize.image..", "dev.postern.sanitize.pdf..", "dev.postern.sanitize.media..",
            "dev.postern.sanitize.faces..", "dev.postern.sanitize.office..", "dev.postern.sanitize.archive..",
            "dev.postern.sanitize.text..", "dev.postern.sanitize.xml..")
            .or(nameMatching("dev\\.postern\\.sanitize\\.(Sanitizer|DefaultCleaners|FormatCleaner|CleaningJob|"
                    + "SanitizeWorker|SanitizeCommand)(\\$.*)?"))
            .as("are sanitizer decoders, cleaners or native code");

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

    /** Internal notes are for colleagues: no source-side code can reach their DAO (issue 8). */
    @Test
    void sourceSideCodeNeverReachesInternalNotes() {
        noClasses().that().resideInAPackage("dev.postern.intake..")
                .or().haveFullyQualifiedName("dev.postern.web.SourcePages")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.postern.store.CaseNotes")
                .check(classes);
        // Intake not even through another class (the web layer's shared rendering reaches the desk's pages).
        noClasses().that().resideInAPackage("dev.postern.intake..")
                .should().transitivelyDependOnClassesThat().haveFullyQualifiedName("dev.postern.store.CaseNotes")
                .check(classes);
    }

    @Test
    void webServerJvmReachesNoSanitizerDecoderOrNativeCode() {
        noClasses().that().resideInAnyPackage(SERVER_SIDE)
                .or().haveFullyQualifiedName("dev.postern.Postern")
                .or().haveFullyQualifiedName("dev.postern.sanitize.SanitizerWorkers")
                .or().haveFullyQualifiedName("dev.postern.sanitize.SanitizeReport")
                .should().transitivelyDependOnClassesThat(WORKER_SIDE)
                .check(classes);
    }

    @Test
    void onlyTheSanitizerAndTheCliDependOnNativeCode() {
        noClasses().that().resideOutsideOfPackages("dev.postern.sanitize..", "dev.postern.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("org.bytedeco..", "org.opencv..")
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

    /**
     * The case log is append-only (issue 9 chains its rows): no code under src/main updates,
     * deletes or truncates it, and only its store names the table at all.
     */
    @Test
    void theCaseLogIsAppendOnly() throws IOException {
        Pattern change = Pattern.compile("(?is)(UPDATE\\s+case_log\\b|DELETE\\s+FROM\\s+case_log\\b"
                + "|TRUNCATE\\s+(TABLE\\s+)?case_log\\b|DROP\\s+TABLE\\s+(IF\\s+EXISTS\\s+)?case_log\\b|MERGE\\s+INTO\\s+case_log\\b)");
        Pattern table = Pattern.compile("\\bcase_log\\b");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("src/main"))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).anyMatch(f -> f.endsWith("CaseLogStore.java"));
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            assertThat(change.matcher(text).find()).as("%s changes case_log rows", f).isFalse();
            if (f.toString().endsWith(".java") && !f.endsWith("CaseLogStore.java")) {
                assertThat(table.matcher(text).find()).as("%s names the case_log table", f).isFalse();
            }
        }
    }
}
