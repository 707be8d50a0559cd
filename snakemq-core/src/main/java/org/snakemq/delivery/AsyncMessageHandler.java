package org.snakemq.delivery;

import java.util.concurrent.CompletionStage;

/**
 * Handles received messages asynchronously: the delivery completes when the returned stage completes
 * normally, from any thread, and fails when it completes exceptionally (or when this method throws).
 *
 * <p>Threads: called on a handler thread of {@link Deliveries}, in the sender's order; the next
 * message of the same sender is handed over once the stage completed.
 */
@FunctionalInterface
public interface AsyncMessageHandler {

    CompletionStage<?> handle(Delivery delivery) throws Exception;
}
