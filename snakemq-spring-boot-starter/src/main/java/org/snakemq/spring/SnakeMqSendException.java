package org.snakemq.spring;

import java.util.UUID;

import org.springframework.messaging.MessageDeliveryException;

/**
 * A {@link SnakeMqTemplate} send that did not reach its peer; {@link #reason()} says why.
 */
public class SnakeMqSendException extends MessageDeliveryException {

    /** Why a send failed. */
    public enum Reason {
        /** The message's TTL ran out while the peer was away, or it had TTL 0 and the peer was not connected. */
        DROPPED,
        /** Too many sends of the template wait for their acknowledgement ({@code snakemq.template.max-pending}); not sent. */
        TOO_MANY_PENDING,
        /** The message could not be queued (e.g. storing a persistent message failed); not sent. */
        NOT_QUEUED,
        /** The template was closed before the peer acknowledged; the message may still be delivered. */
        CLOSED
    }

    private final String peer;
    private final UUID messageId;
    private final Reason reason;

    public SnakeMqSendException(Reason reason, String peer, UUID messageId, String description, Throwable cause) {
        super(null, description, cause);
        this.reason = reason;
        this.peer = peer;
        this.messageId = messageId;
    }

    public Reason reason() {
        return reason;
    }

    public String peer() {
        return peer;
    }

    public UUID messageId() {
        return messageId;
    }
}
