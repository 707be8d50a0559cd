package org.snakemq.autoconfigure;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import org.snakemq.testing.ArchitectureRules;

/**
 * The starter sits on top of snakemq-core and reaches it only through the core's public API;
 * checked on the starter's own compiled classes.
 */
@AnalyzeClasses(packages = "org.snakemq", importOptions = StarterArchitectureTest.StarterClassesOnly.class)
class StarterArchitectureTest {

    static final String AUTOCONFIGURE = "org.snakemq.autoconfigure..";
    static final String STARTER_API = "org.snakemq.spring..";

    @ArchTest
    static final ArchRule starter_classes_live_in_starter_packages =
            ArchitectureRules.classesLiveInTheirModulesPackages(AUTOCONFIGURE, STARTER_API);

    @ArchTest
    static final ArchRule starter_uses_only_the_public_api_of_the_core =
            ArchitectureRules.usesOnlyTheCoreApi("org\\.snakemq\\.(autoconfigure|spring)(\\..*)?")
            .because("the starter is one user of snakemq-core among others: whatever it needs, a plain Java "
                    + "program needs too, so it must be public API");

    @ArchTest
    static final ArchRule starter_api_does_not_depend_on_the_auto_configuration = noClasses()
            .that().resideInAPackage(STARTER_API)
            .should().dependOnClassesThat().resideInAPackage(AUTOCONFIGURE)
            .because("applications use org.snakemq.spring (events, annotations, meters, health); the "
                    + "auto-configuration wires them and may change its beans without touching that API");

    @ArchTest
    static final ArchRule starter_packages_are_free_of_cycles = ArchitectureRules.packagesAreFreeOfCycles();

    /** The classes this module compiles, not the core's or a library's, wherever the build puts them. */
    static final class StarterClassesOnly extends ArchitectureRules.OwnClassesOnly {
        StarterClassesOnly() {
            super(SnakeMqAutoConfiguration.class);
        }
    }
}
