package org.snakemq.spring;

import java.util.Objects;
import java.util.UUID;

/**
 * What became of a message sent by {@link SnakeMqTemplate}.
 *
 * @param peer         the destination identity
 * @param messageId    the snakeMQ message id (the receiver sees it as the spring message's id)
 * @param acknowledged true when the peer acknowledged the message, which a snakemq-java receiver does
 *                     once its listeners handled it, or once it gave up and kept it as a dead letter
 *                     (the protocol has no negative acknowledgement); false when the peer does not acknowledge (a peer
 *                     of the original snakeMQ protocol, or {@code snakemq.acknowledgements=false}) and
 *                     the message was fully written to its connection
 */
public record SendResult(String peer, UUID messageId, boolean acknowledged) {

    public SendResult {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(messageId, "messageId");
    }
}
