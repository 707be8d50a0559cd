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
 * <p>What a peer may call: the public methods of the bean's own class (Spring's user class behind a
 * CGLIB proxy, the application's interfaces of a JDK proxy), its superclasses and its interfaces,
 * never those of {@code Object} or of Spring and the platform: not {@code Advised} and the other proxy
 * interfaces, not {@code destroy()}, {@code afterPropertiesSet()}, {@code *Aware} setters,
 * {@code Lifecycle} methods, setters inherited from framework base classes, nor {@code @PreDestroy},
 * {@code @PostConstruct} or {@code @Autowired} methods (see {@code RpcServer.register}). Calls go
 * through the bean, so {@code @Transactional}, {@code @Async} and method security apply.
 * {@link #exposing()} narrows this to one interface; {@link #allowedPeers()} and any
 * {@code RpcAccessPolicy} bean decide which peers may call.
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

    /**
     * An interface the bean implements: only its methods are served (for example
     * {@code @SnakeRpc(value = "clock", exposing = ClockApi.class)}). {@code void.class}, the
     * default, serves the public methods of the bean's own class.
     */
    Class<?> exposing() default void.class;

    /**
     * The identities of the peers that may call this object; empty, the default, lets every peer call
     * it (an {@code RpcAccessPolicy} bean still applies). Other peers get a {@code PermissionError}.
     * Without identities bound to TLS certificates ({@code snakemq.tls.verify-identity=true}) a peer's
     * identity is only what it claims to be: this then keeps out only peers that do not lie.
     */
    String[] allowedPeers() default {};
}
