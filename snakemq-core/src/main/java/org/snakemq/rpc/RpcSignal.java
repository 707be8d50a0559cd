package org.snakemq.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a signal, the original's {@code @snakemq.rpc.as_signal}: it is called without a
 * reply and its exceptions are not transferred. On a server object it marks the method that way; on
 * an interface used with {@link RpcClient#proxy} it makes the proxy send a signal instead of a call.
 * Read once, on the thread that registers the object or creates the proxy.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RpcSignal {

    /**
     * TTL of the signal message in milliseconds when sent through a typed proxy: 0 (the default, as in
     * the original) sends it only to a connected peer, a negative value means it never expires.
     */
    long ttlMillis() default 0;
}
