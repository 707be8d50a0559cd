package org.snakemq.delivery;

/**
 * Takes a message whose handling failed on every attempt. Returning normally completes the delivery
 * (the sender gets its acknowledgement); throwing keeps the message, which is offered to the
 * recoverer again after the retry policy's longest delay, so nothing is dropped silently. The
 * default, {@link DeadLetterRecoverer}, keeps the message in a dead-letter store.
 *
 * <p>Threads: called on a handler thread, in the sender's order.
 */
@FunctionalInterface
public interface DeliveryRecoverer {

    void recover(Delivery delivery, Throwable failure) throws Exception;
}
