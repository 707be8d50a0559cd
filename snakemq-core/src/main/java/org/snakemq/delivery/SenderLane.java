package org.snakemq.delivery;

import java.time.Instant;
import java.util.ArrayDeque;

import org.snakemq.message.Message;

/**
 * The messages of one sender waiting to be handled, in order. At most one is being handled at a
 * time; it stays at the head until it completed, so a retried message holds back the ones behind it.
 * Guarded by its own monitor.
 */
final class SenderLane {

    final String sender;
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    /** A handler thread serves this lane, or will (after a retry delay, or when an async handler completes). */
    private boolean served;
    /** Accepted and not yet completed, including one whose inbox record is being written. */
    private int count;

    SenderLane(String sender) {
        this.sender = sender;
    }

    /** Adds a message; true when the lane needs a thread to serve it. */
    synchronized boolean add(Message message, Instant receivedAt) {
        queue.addLast(new Item(message, receivedAt));
        count++;
        if (served) {
            return false;
        }
        served = true;
        return true;
    }

    /** The message to handle next, or null: then the lane is no longer served. */
    synchronized Item head() {
        Item head = queue.peekFirst();
        if (head == null) {
            served = false;
        }
        return head;
    }

    /** The head was handled (or recovered): the next one may go. */
    synchronized void removeHead(Item item) {
        if (queue.peekFirst() == item) {
            queue.pollFirst();
        }
    }

    /** The message left the lane for good (completed and recorded); returns the count left. */
    synchronized int release() {
        return --count;
    }

    synchronized int count() {
        return count;
    }

    /** One message in the lane, with the attempts made so far. */
    static final class Item {
        final Message message;
        final Instant receivedAt;
        int attempts;
        /** Every attempt failed and the recoverer is to be called (again). */
        boolean exhausted;
        Throwable lastFailure;

        Item(Message message, Instant receivedAt) {
            this.message = message;
            this.receivedAt = receivedAt;
        }
    }
}
