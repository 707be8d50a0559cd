package org.snakemq.spring;

import java.util.UUID;

/**
 * A queued message was dropped without being delivered: its TTL ran out, or it had TTL 0 and the
 * peer was not connected. Threads: as {@link SnakeMessageReceivedEvent}.
 *
 * @param identity the destination peer
 * @param uuid     the message id
 */
public record SnakeMessageDroppedEvent(String identity, UUID uuid) {
}
