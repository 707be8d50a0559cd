package org.snakemq.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * The auto-configurations of a snakeMQ peer (link, messaging, storage, RPC, events, delivery and
 * {@code @SnakeListener}), for a test that switches the others off, as {@link SnakeMqTest} does.
 * The list is {@code META-INF/spring/org.snakemq.test.AutoConfigureSnakeMq.imports}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureSnakeMq {
}
