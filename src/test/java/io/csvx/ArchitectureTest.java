package io.csvx;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.INTERFACES;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.csvx.store.IdempotencyStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/// The package map of docs/architecture.md, kept true: who may use whom.
class ArchitectureTest {
    /// The features: each owns its rules behind a small public service.
    private static final String[] FEATURES = {"io.csvx.tenant..", "io.csvx.endpoint..", "io.csvx.message..",
        "io.csvx.delivery..", "io.csvx.file..", "io.csvx.job..", "io.csvx.source..", "io.csvx.pipeline..",
        "io.csvx.csv.."};

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.csvx");
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.csvx.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void httpCallsServicesNeverTheStore() {
        // store records and values (Application, Page, StoreException, …) are the services' vocabulary
        // until they move into their features; the store's interfaces, the database and its
        // implementations are not. IdempotencyStore is the API's own replay record.
        noClasses().that().resideInAPackage("io.csvx.http..")
                .should().dependOnClassesThat(resideInAPackage("io.csvx.store").and(INTERFACES)
                        .and(not(type(IdempotencyStore.class))))
                .orShould().dependOnClassesThat(resideInAnyPackage("io.csvx.store.jdbc..", "io.csvx.store.sqlite..",
                        "io.csvx.store.postgres.."))
                .orShould().dependOnClassesThat(type(io.csvx.store.Stores.class))
                .check(classes);
    }

    @Test
    void featuresKnowNothingOfHttpOrTheCommandLine() {
        noClasses().that().resideInAnyPackage(FEATURES)
                .should().dependOnClassesThat(resideInAnyPackage("io.csvx.http..", "io.csvx.cli..", "io.csvx.node..",
                        "io.csvx.bench..", "io.javalin..", "jakarta.servlet..", "org.eclipse.jetty.server.."))
                .check(classes);
    }

    @Test
    void csvAndPipelineArePureStreamingWork() {
        noClasses().that().resideInAnyPackage("io.csvx.csv..", "io.csvx.pipeline..")
                .should().dependOnClassesThat(resideInAnyPackage("io.csvx.store..", "io.csvx.http..", "io.csvx.net..",
                        "io.csvx.delivery..", "io.csvx.job..", "java.sql..", "org.eclipse.jetty..", "io.javalin.."))
                .check(classes);
    }

    @Test
    void onlyTheStoreAndItsWiringKnowTheBackends() {
        noClasses().that().resideOutsideOfPackages("io.csvx.store..", "io.csvx.node..", "io.csvx.bench..")
                .should().dependOnClassesThat(resideInAnyPackage("io.csvx.store.jdbc..", "io.csvx.store.sqlite..",
                        "io.csvx.store.postgres.."))
                .orShould().dependOnClassesThat(resideInAPackage("java.sql.."))
                .check(classes);
    }

    @Test
    void theStoreSeesNoFeature() {
        noClasses().that().resideInAPackage("io.csvx.store..")
                .should().dependOnClassesThat(resideInAnyPackage(FEATURES))
                .orShould().dependOnClassesThat(resideInAnyPackage("io.csvx.http..", "io.csvx.node..", "io.csvx.cli.."))
                .check(classes);
    }

    @Test
    void onlyNetBuildsHttpClients() {
        noClasses().that().resideOutsideOfPackage("io.csvx.net..")
                .should().callConstructor(org.eclipse.jetty.client.HttpClient.class)
                .check(classes);
    }

    @Test
    void theServerNeverLoadsTheBenchmarks() {
        noClasses().that().resideOutsideOfPackage("io.csvx.bench..").and().doNotHaveFullyQualifiedName("io.csvx.Main")
                .should().dependOnClassesThat(resideInAPackage("io.csvx.bench.."))
                .check(classes);
    }
}
