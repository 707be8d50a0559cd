package org.snakemq.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test of an application's snakeMQ side only, as {@code @DataJpaTest} is of its JPA side: the
 * snakeMQ auto-configurations ({@link AutoConfigureSnakeMq}) and no others, the application's
 * {@code @SnakeRpc} beans, beans with {@code @SnakeListener} methods and {@code @SnakeRpcClient}
 * interfaces and no other components, and a {@link SnakeMqTestPeer} the application is connected to
 * ({@link AutoConfigureSnakeMqTestPeer}).
 *
 * <pre>{@code
 * @SnakeMqTest(peer = "alice", properties = "snakemq.identity=bob")
 * class OrdersTest {
 *     @Test
 *     void answersAnOrder(SnakeMqTestPeer alice) {
 *         alice.send("bob", "order 1");
 *         assertThat(alice.awaitMessageFrom("bob").text()).isEqualTo("accepted order 1");
 *     }
 * }
 * }</pre>
 *
 * <p>Other beans the test needs: {@code @Import} them, or name them in {@link #includeFilters()}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(SnakeMqTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(SnakeMqTypeExcludeFilter.class)
@AutoConfigureSnakeMq
@AutoConfigureSnakeMqTestPeer
@ImportAutoConfiguration
public @interface SnakeMqTest {

    /** Properties ({@code key=value}) added to the environment before the context starts. */
    String[] properties() default {};

    /** The test peer's identity. */
    @AliasFor(annotation = AutoConfigureSnakeMqTestPeer.class, attribute = "identity")
    String peer() default "test-peer";

    /** Whether the application's listeners are moved to free ports. */
    @AliasFor(annotation = AutoConfigureSnakeMqTestPeer.class, attribute = "freeListenerPorts")
    boolean freeListenerPorts() default true;

    /** Whether the default filters apply (the snakeMQ components); false leaves only {@link #includeFilters()}. */
    boolean useDefaultFilters() default true;

    /** More components to scan. */
    Filter[] includeFilters() default {};

    /** Components not to scan. */
    Filter[] excludeFilters() default {};

    /** Auto-configurations to leave out. */
    @AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
    Class<?>[] excludeAutoConfiguration() default {};
}
