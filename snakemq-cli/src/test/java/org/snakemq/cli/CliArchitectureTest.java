package org.snakemq.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The command-line tool is a plain program on snakemq-core's public API; checked on the tool's own
 * compiled classes.
 */
@AnalyzeClasses(packages = "org.snakemq", importOptions = CliArchitectureTest.CliClassesOnly.class)
class CliArchitectureTest {

    @ArchTest
    static final ArchRule cli_classes_live_in_the_cli_package = classes()
            .should().resideInAPackage("org.snakemq.cli..")
            .because("a CLI class in one of the core's packages could reach the core's package-private "
                    + "types and members, which are free to change");

    @ArchTest
    static final ArchRule cli_uses_only_the_public_api_of_the_core = noClasses()
            .should().dependOnClassesThat(DescribedPredicate.describe(
                    "are types of snakemq-core outside its public API (not public, or in an ..internal.. package)",
                    CliArchitectureTest::outsideTheCoreApi))
            .because("the tool shows what any program can do with snakemq-core, so it uses only what the core "
                    + "publishes");

    @ArchTest
    static final ArchRule cli_does_not_depend_on_spring = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.snakemq.autoconfigure..")
            .because("the tool runs the core alone, in a small jar that starts fast");

    @ArchTest
    static final ArchRule cli_packages_are_free_of_cycles = slices()
            .matching("org.snakemq.(**)")
            .should().beFreeOfCycles()
            .because("a cycle between two packages makes them one piece that cannot be understood or "
                    + "changed apart");

    private static boolean outsideTheCoreApi(JavaClass type) {
        JavaClass base = type.getBaseComponentType();
        String name = base.getPackageName();
        return name.startsWith("org.snakemq.") && !name.matches("org\\.snakemq\\.cli(\\..*)?")
                && (!isAccessible(base) || name.matches(".*\\.internal(\\..*)?"));
    }

    private static boolean isAccessible(JavaClass type) {
        return type.getModifiers().contains(JavaModifier.PUBLIC)
                && type.getEnclosingClass().map(CliArchitectureTest::isAccessible).orElse(true);
    }

    /** The classes this module compiles, not the core's or a library's, wherever the build puts them. */
    static final class CliClassesOnly implements ImportOption {
        private static final String OWN_CLASSES = Main.class.getProtectionDomain().getCodeSource().getLocation().getPath();

        @Override
        public boolean includes(Location location) {
            return location.contains(OWN_CLASSES);
        }
    }
}
