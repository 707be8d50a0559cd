package org.snakemq.spring;

import java.util.concurrent.CompletableFuture;

import org.snakemq.message.Message;

/**
 * Stands around each message {@link SnakeMqTemplate} sends, once it is converted: may give it
 * further headers (a trace context) and watch its outcome. Declare beans of this type; several are
 * applied in their order, the first outermost. The starter's observation of sends is one.
 *
 * <p>Runs on the thread that calls the template; must be thread-safe.
 */
@FunctionalInterface
public interface SnakeMqSendInterceptor {

    /**
     * Must call {@code next.send} once, with {@code message} or a copy of it with other headers
     * ({@link Message#withHeaders}; the same id), and return the future it returned (watch its end
     * with {@code whenComplete} on it, and return it itself).
     */
    CompletableFuture<SendResult> intercept(String peer, Message message, Next next);

    /** Queues the message and tracks its outcome. */
    @FunctionalInterface
    interface Next {
        CompletableFuture<SendResult> send(Message message);
    }
}
