package org.snakemq.delivery;

/**
 * Handles received messages. Returning normally completes the delivery (the sender gets its
 * acknowledgement); throwing fails it (it is retried, then recovered, see {@link RetryPolicy}).
 *
 * <p>Threads: called on a handler thread of {@link Deliveries}, one message of a sender at a time
 * and in the sender's order; messages of different senders may be handled in parallel.
 */
@FunctionalInterface
public interface MessageHandler {

    void handle(Delivery delivery) throws Exception;
}
