package org.snakemq.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface as the API of an object served by a remote peer. The starter finds such
 * interfaces in the application's auto-configuration packages (those of the
 * {@code @SpringBootApplication} class) and in the packages named by {@link EnableSnakeRpcClients},
 * and registers a bean for each, backed by {@code RpcClient.proxy(peer, object, type)}, so it can be
 * injected through a constructor.
 *
 * <pre>{@code
 * @SnakeRpcClient(peer = "alice", object = "calculator")
 * public interface Calculator {
 *     int add(int a, int b);
 * }
 * }</pre>
 *
 * <p>Calls block the calling thread until the reply comes, or until {@code snakemq.rpc.call-timeout};
 * never call them from the link's loop thread (for example a synchronous event listener).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SnakeRpcClient {

    /**
     * Identity of the peer that serves the object; {@code ${...}} placeholders are resolved against the
     * environment (for example {@code peer = "${clock.peer}"}).
     */
    String peer();

    /** Name the object is registered under on that peer; {@code ${...}} placeholders are resolved. */
    String object();
}
