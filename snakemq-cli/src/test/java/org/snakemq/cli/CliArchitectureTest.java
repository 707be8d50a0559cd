package org.snakemq.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import org.snakemq.testing.ArchitectureRules;

/**
 * The command-line tool is a plain program on snakemq-core's public API; checked on the tool's own
 * compiled classes.
 */
@AnalyzeClasses(packages = "org.snakemq", importOptions = CliArchitectureTest.CliClassesOnly.class)
class CliArchitectureTest {

    @ArchTest
    static final ArchRule cli_classes_live_in_the_cli_package =
            ArchitectureRules.classesLiveInTheirModulesPackages("org.snakemq.cli..");

    @ArchTest
    static final ArchRule cli_uses_only_the_public_api_of_the_core =
            ArchitectureRules.usesOnlyTheCoreApi("org\\.snakemq\\.cli(\\..*)?")
            .because("the tool shows what any program can do with snakemq-core, so it uses only what the core "
                    + "publishes");

    @ArchTest
    static final ArchRule cli_does_not_depend_on_spring = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.snakemq.autoconfigure..")
            .because("the tool runs the core alone, in a small jar that starts fast");

    @ArchTest
    static final ArchRule cli_packages_are_free_of_cycles = ArchitectureRules.packagesAreFreeOfCycles();

    /** The classes this module compiles, not the core's or a library's, wherever the build puts them. */
    static final class CliClassesOnly extends ArchitectureRules.OwnClassesOnly {
        CliClassesOnly() {
            super(Main.class);
        }
    }
}
