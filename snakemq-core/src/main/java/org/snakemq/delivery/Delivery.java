package org.snakemq.delivery;

import java.time.Instant;
import java.util.Objects;

import org.snakemq.message.Message;

/**
 * One received message handed to the application's handler.
 * A value, handed to the handler on its {@code snakemq-handler-*} thread; safe to pass to other threads.
 *
 * @param sender     the identity of the peer that sent it
 * @param message    the message
 * @param attempt    1 for the first call of the handler, 2 for the first retry, ...
 * @param receivedAt when the message arrived
 */
public record Delivery(String sender, Message message, int attempt, Instant receivedAt) {

    public Delivery {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(receivedAt, "receivedAt");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
        }
    }
}
