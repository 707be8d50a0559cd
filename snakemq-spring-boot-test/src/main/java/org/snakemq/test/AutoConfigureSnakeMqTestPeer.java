package org.snakemq.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts a {@link SnakeMqTestPeer} before the test's application context and connects the
 * application to it: a connector to the peer is added to {@code snakemq.connectors} (after the
 * application's own), and the peer is a bean of the context, closed with it. Inject it with
 * {@code @Autowired} or as a test method parameter; its records are reset before each test.
 * {@link SnakeMqTest} has it; put it on a {@code @SpringBootTest} class for a whole application.
 *
 * <p>By default the application's listeners ({@code snakemq.listeners[*].port}) are moved to free
 * ports, so that tests do not depend on fixed ports being free.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SnakeMqTestPeerExtension.class)
public @interface AutoConfigureSnakeMqTestPeer {

    /** The test peer's identity: the name the application sends to and calls. */
    String identity() default "test-peer";

    /** Whether the application's listeners are moved to free ports. */
    boolean freeListenerPorts() default true;
}
