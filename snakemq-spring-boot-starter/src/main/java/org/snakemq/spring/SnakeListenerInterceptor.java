package org.snakemq.spring;

import java.util.concurrent.CompletionStage;

import org.snakemq.delivery.Delivery;

/**
 * Stands around each attempt of the {@link SnakeListener @SnakeListener} methods at a received
 * message (one call per attempt: a retried message passes again, with its attempt number in the
 * {@link Delivery}). Declare beans of this type; several are applied in their order, the first
 * outermost. The starter's observation of listeners is one.
 *
 * <p>Runs on the handler thread that runs the listeners; must be thread-safe.
 */
@FunctionalInterface
public interface SnakeListenerInterceptor {

    /**
     * Must call {@code next.proceed()} once and return what it returned, or throw what it threw: the
     * stage that completes when every listener is done with the message (watch its end with
     * {@code whenComplete} on it, and return it itself).
     */
    CompletionStage<?> intercept(Delivery delivery, Next next) throws Exception;

    /** Runs the listeners. */
    @FunctionalInterface
    interface Next {
        CompletionStage<?> proceed() throws Exception;
    }
}
