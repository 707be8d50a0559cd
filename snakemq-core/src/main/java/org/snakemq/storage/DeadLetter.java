package org.snakemq.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.snakemq.message.Headers;

/**
 * A received message the application failed to handle, kept for an operator: who sent it, what it
 * held, and why and how often it failed.
 * A value, not changed after it is made; safe to pass between threads.
 *
 * @param id           the store's key, 0 before the store assigned one
 * @param sender       the identity of the peer that sent the message
 * @param uuid         the message id
 * @param data         the message data
 * @param flags        the message flags
 * @param errorClass   the class name of the last failure
 * @param errorMessage the message of the last failure, may be empty
 * @param attempts     how many times the handler was called
 * @param failedAt     when the message was given up
 * @param headers      the message headers, {@link Headers#EMPTY} for none; a replay carries them
 */
public record DeadLetter(long id, String sender, UUID uuid, byte[] data, int flags, String errorClass,
                         String errorMessage, int attempts, Instant failedAt, Headers headers) {

    /** A dead letter of a message without headers. */
    public DeadLetter(long id, String sender, UUID uuid, byte[] data, int flags, String errorClass,
                      String errorMessage, int attempts, Instant failedAt) {
        this(id, sender, uuid, data, flags, errorClass, errorMessage, attempts, failedAt, Headers.EMPTY);
    }

    public DeadLetter {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(errorClass, "errorClass");
        Objects.requireNonNull(failedAt, "failedAt");
        Objects.requireNonNull(headers, "headers");
        errorMessage = errorMessage == null ? "" : errorMessage;
    }

    /** A copy with the key the store assigned. */
    public DeadLetter withId(long newId) {
        return new DeadLetter(newId, sender, uuid, data, flags, errorClass, errorMessage, attempts, failedAt, headers);
    }

    @Override
    public String toString() {
        return "DeadLetter[#" + id + " from " + sender + ", " + uuid + ", " + data.length + " bytes, " + attempts
                + " attempts, " + errorClass + ": " + errorMessage + ", at " + failedAt
                + (headers.isEmpty() ? "" : ", " + headers.size() + " headers") + "]";
    }
}
