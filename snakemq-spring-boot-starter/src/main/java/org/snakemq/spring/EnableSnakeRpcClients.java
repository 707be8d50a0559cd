package org.snakemq.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names packages to search for {@link SnakeRpcClient} interfaces besides the application's
 * auto-configuration packages. Put it on a configuration class.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface EnableSnakeRpcClients {

    /** Packages to search. */
    String[] basePackages() default {};

    /** Packages to search, given by a class in each. */
    Class<?>[] basePackageClasses() default {};
}
