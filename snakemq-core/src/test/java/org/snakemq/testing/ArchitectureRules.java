package org.snakemq.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Architecture rules that snakemq-core and the modules built on it share. A rule that means the same in
 * every module carries its reason; for the others each test adds its own with {@link ArchRule#because}.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** No cycles between the packages below {@code org.snakemq}. */
    public static ArchRule packagesAreFreeOfCycles() {
        return slices().matching("org.snakemq.(**)").should().beFreeOfCycles()
                .because("a cycle between two packages makes them one piece that cannot be understood, tested "
                        + "or changed apart");
    }

    /** Every class of a module built on the core lies in one of that module's own packages. */
    public static ArchRule classesLiveInTheirModulesPackages(String... ownPackages) {
        return classes().should().resideInAnyPackage(ownPackages)
                .because("a class in one of the core's packages could reach the core's package-private types and "
                        + "members, which are free to change");
    }

    /**
     * No class depends on a type of snakemq-core outside its public API: one that is not public (or
     * nested in one that is not), or lies in an {@code ..internal..} package.
     *
     * @param ownPackages a regular expression matching the names of the checked module's own packages
     */
    public static ArchRule usesOnlyTheCoreApi(String ownPackages) {
        return noClasses().should().dependOnClassesThat(DescribedPredicate.describe(
                "are types of snakemq-core outside its public API (not public, or in an ..internal.. package)",
                type -> outsideTheCoreApi(type, ownPackages)));
    }

    private static boolean outsideTheCoreApi(JavaClass type, String ownPackages) {
        JavaClass base = type.getBaseComponentType();
        String name = base.getPackageName();
        return name.startsWith("org.snakemq.") && !name.matches(ownPackages)
                && (!isAccessible(base) || name.matches(".*\\.internal(\\..*)?"));
    }

    private static boolean isAccessible(JavaClass type) {
        return type.getModifiers().contains(JavaModifier.PUBLIC)
                && type.getEnclosingClass().map(ArchitectureRules::isAccessible).orElse(true);
    }

    /**
     * Imports only the classes compiled into the same place as a given class: a module's own classes,
     * not the core's or a library's, wherever the build puts them. A test names a subclass with a
     * constructor without parameters in {@code @AnalyzeClasses(importOptions = ...)}.
     */
    public abstract static class OwnClassesOnly implements ImportOption {

        private final String ownClasses;

        protected OwnClassesOnly(Class<?> anyOwnClass) {
            this.ownClasses = anyOwnClass.getProtectionDomain().getCodeSource().getLocation().getPath();
        }

        @Override
        public boolean includes(Location location) {
            return location.contains(ownClasses);
        }
    }
}
