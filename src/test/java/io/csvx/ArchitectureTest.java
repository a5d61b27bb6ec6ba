package io.csvx;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.csvx.store.Ids;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import io.csvx.store.StoreException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/// The package map of docs/architecture.md, kept true: who may use whom.
class ArchitectureTest {
    /// The features: each owns its rules behind a small public service.
    private static final String[] FEATURES = {"io.csvx.tenant..", "io.csvx.endpoint..", "io.csvx.message..",
        "io.csvx.delivery..", "io.csvx.operational..", "io.csvx.file..", "io.csvx.job..", "io.csvx.source..",
        "io.csvx.pipeline..", "io.csvx.csv..", "io.csvx.dataset.."};

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.csvx");
    }

    @Test
    void noPackageCycles() {
        // each package its own slice: store.jdbc implements the features' store interfaces, which
        // use the store's floor (Db, Ids, Page), so store and store.jdbc must be told apart
        slices().matching("io.csvx.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void httpCallsServicesNeverTheStore() {
        // from the store's floor, http takes only values: pages, ids and the conflict it maps to 409
        noClasses().that().resideInAPackage("io.csvx.http..")
                .should().dependOnClassesThat(resideInAPackage("io.csvx.store..")
                        .and(not(belongToAnyOf(Page.class, PageRequest.class, Ids.class, StoreException.class))))
                .orShould().dependOnClassesThat(simpleNameEndingWith("Store").and(not(resideInAPackage("io.csvx.http"))))
                .check(classes);
    }

    @Test
    void theBrowserPagesCallServicesNeverTheStoreNorTheApi() {
        // like the API: from the store's floor only values, no store interface, and no reaching
        // into the API's handlers (a rule the pages need lives in a service or in AppToken)
        noClasses().that().resideInAPackage("io.csvx.web..")
                .should().dependOnClassesThat(resideInAPackage("io.csvx.store..")
                        .and(not(belongToAnyOf(Page.class, PageRequest.class, Ids.class, StoreException.class))))
                .orShould().dependOnClassesThat(simpleNameEndingWith("Store").and(not(resideInAPackage("io.csvx.web"))))
                .orShould().dependOnClassesThat(resideInAnyPackage("io.csvx.http..", "io.csvx.node..", "io.csvx.cli.."))
                .check(classes);
    }

    @Test
    void eachFeatureUsesOnlyItsOwnStores() {
        for (String feature : FEATURES) {
            noClasses().that().resideInAPackage(feature)
                    .should().dependOnClassesThat(simpleNameEndingWith("Store").and(resideInAnyPackage(FEATURES))
                            .and(not(resideInAPackage(feature))))
                    .check(classes);
        }
    }

    @Test
    void featuresKnowNothingOfHttpOrTheCommandLine() {
        noClasses().that().resideInAnyPackage(FEATURES)
                .should().dependOnClassesThat(resideInAnyPackage("io.csvx.http..", "io.csvx.web..", "io.csvx.servlet..",
                        "io.csvx.cli..",
                        "io.csvx.node..", "io.csvx.bench..", "io.javalin..", "jakarta.servlet..",
                        "org.eclipse.jetty.server.."))
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
    void theStoresFloorSeesNoFeature() {
        // store.jdbc implements the features' store interfaces; the rest of store serves them all
        noClasses().that().resideInAnyPackage("io.csvx.store", "io.csvx.store.sqlite..", "io.csvx.store.postgres..")
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
