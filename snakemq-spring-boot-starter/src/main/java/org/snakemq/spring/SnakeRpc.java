package org.snakemq.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Serves a bean's public methods over snakeMQ RPC under a name, like the original's
 * {@code rpc_server.register_object(obj, "myinstance")}. Put it on the bean class or on its
 * {@code @Bean} method. Beans are registered with the {@code RpcServer} once all singletons exist.
 *
 * <pre>{@code
 * @Component
 * @SnakeRpc("calculator")
 * class Calculator {
 *     public int add(int a, int b) { return a + b; }
 * }
 * }</pre>
 *
 * <p>Threads: methods run on the RPC server's executor, never on the link's loop thread.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SnakeRpc {

    /**
     * The object name callers use; {@code ${...}} placeholders are resolved against the environment
     * (for example {@code @SnakeRpc("${clock.rpc-name:clock}")}).
     */
    String value();
}
