package org.snakemq;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import java.util.Arrays;
import java.util.stream.Stream;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import org.snakemq.testing.ArchitectureRules;

/**
 * The layers of snakemq-core, as docs/ARCHITECTURE.md draws them, checked on the compiled main
 * classes in every build:
 *
 * <pre>
 *   rpc   delivery
 *   messaging ──────────┬──────────┐
 *   packeter            storage    │
 *   throttle            message  ◄─┘
 *   link
 *   callback, internal (used by every layer)
 * </pre>
 */
@AnalyzeClasses(packages = "org.snakemq",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

    static final String CALLBACK = "org.snakemq.callback..";
    static final String LINK = "org.snakemq.link..";
    static final String THROTTLE = "org.snakemq.throttle..";
    static final String PACKETER = "org.snakemq.packeter..";
    static final String MESSAGE = "org.snakemq.message..";
    static final String STORAGE = "org.snakemq.storage..";
    static final String MESSAGING = "org.snakemq.messaging..";
    static final String RPC = "org.snakemq.rpc..";
    static final String DELIVERY = "org.snakemq.delivery..";
    static final String INTERNAL = "org.snakemq.internal..";

    static final String JDK = "java..";
    static final String JDK_EXTENSIONS = "javax..";
    static final String NETTY = "io.netty..";
    static final String SLF4J = "org.slf4j..";

    @ArchTest
    static final ArchRule layers = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("callback").definedBy(CALLBACK)
            .layer("link").definedBy(LINK)
            .layer("throttle").definedBy(THROTTLE)
            .layer("packeter").definedBy(PACKETER)
            .layer("message").definedBy(MESSAGE)
            .layer("storage").definedBy(STORAGE)
            .layer("messaging").definedBy(MESSAGING)
            .layer("rpc").definedBy(RPC)
            .layer("delivery").definedBy(DELIVERY)
            .whereLayer("rpc").mayNotBeAccessedByAnyLayer()
            .whereLayer("delivery").mayNotBeAccessedByAnyLayer()
            .whereLayer("messaging").mayOnlyBeAccessedByLayers("rpc", "delivery")
            .whereLayer("storage").mayOnlyBeAccessedByLayers("messaging", "rpc", "delivery")
            .whereLayer("message").mayOnlyBeAccessedByLayers("storage", "messaging", "rpc", "delivery")
            .whereLayer("packeter").mayOnlyBeAccessedByLayers("messaging", "rpc")
            .whereLayer("throttle").mayNotBeAccessedByAnyLayer()
            .whereLayer("link").mayOnlyBeAccessedByLayers("throttle", "packeter", "messaging", "rpc")
            .because("each layer of the core builds on the ones below it only (docs/ARCHITECTURE.md), "
                    + "so that any of them can be used, tested and replaced without the ones above");

    @ArchTest
    static final ArchRule link_depends_on_nothing_above_it = mayOnlyUse(LINK, CALLBACK, INTERNAL, JDK, JDK_EXTENSIONS, NETTY,
            SLF4J)
            .because("the link only carries bytes: it must not know the packeter, messaging, RPC, storage "
                    + "or the throttle, which all sit on a Transport and may be stacked on it in any order");

    @ArchTest
    static final ArchRule packeter_depends_only_on_the_link = mayOnlyUse(PACKETER, LINK, CALLBACK, JDK, NETTY, SLF4J)
            .because("the packeter frames bytes into packets for any Transport; what a packet means "
                    + "belongs to messaging above it");

    @ArchTest
    static final ArchRule messaging_does_not_depend_on_rpc = noClasses()
            .that().resideInAPackage(MESSAGING)
            .should().dependOnClassesThat().resideInAPackage(RPC)
            .because("RPC is one application of messaging (a ReceiveHook and plain messages); messaging "
                    + "must work, and be tested, without it");

    @ArchTest
    static final ArchRule storage_sees_only_the_message_types =
            mayOnlyUse(STORAGE, MESSAGE, CALLBACK, JDK, JDK_EXTENSIONS, SLF4J, "org.sqlite..")
            .because("a queue storage keeps org.snakemq.message values (Message, MessageIds) and nothing of "
                    + "messaging's queues, frames or connections, so a storage can be written and tested "
                    + "without a peer; a type both need belongs in org.snakemq.message");

    @ArchTest
    static final ArchRule message_types_depend_on_nothing_of_the_stack = mayOnlyUse(MESSAGE, JDK)
            .because("the message value types are shared by messaging, storage and RPC, so they must not "
                    + "pull any of them in");

    @ArchTest
    static final ArchRule internal_helpers_depend_on_no_layer = mayOnlyUse(INTERNAL, JDK, SLF4J)
            .because("org.snakemq.internal holds small helpers that every layer may use (docs/ARCHITECTURE.md), "
                    + "so they must not pull any layer in");

    @ArchTest
    static final ArchRule core_does_not_depend_on_spring = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
            .because("snakemq-core is plain Java for any program; Spring belongs to "
                    + "snakemq-spring-boot-starter, which builds on the core");

    @ArchTest
    static final ArchRule packages_are_free_of_cycles = ArchitectureRules.packagesAreFreeOfCycles();

    /** The classes of {@code layer} depend on nothing but each other and the {@code allowed} packages. */
    private static ArchRule mayOnlyUse(String layer, String... allowed) {
        String[] packages = Stream.concat(Stream.of(layer), Arrays.stream(allowed)).toArray(String[]::new);
        return classes().that().resideInAPackage(layer).should().onlyDependOnClassesThat().resideInAnyPackage(packages);
    }
}
