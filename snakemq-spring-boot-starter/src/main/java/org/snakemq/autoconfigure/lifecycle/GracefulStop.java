package org.snakemq.autoconfigure.lifecycle;

import java.time.Duration;

/**
 * A step of the starter's graceful stop that may take time (for example letting running RPC calls or
 * listener deliveries finish). {@code SnakeMqLifecycle} runs every such bean in turn on the thread that
 * stops the application context, after the listeners are unbound and before the link stops.
 *
 * <p>It stands in a package of its own so that the lifecycle in {@code org.snakemq.autoconfigure} and
 * the steps in the packages below it ({@code rpc}, {@code delivery}) can all use it without a cycle.
 */
@FunctionalInterface
public interface GracefulStop {
    /** Stops taking new work and waits at most {@code timeout} for the running work. */
    void stopGracefully(Duration timeout);
}
