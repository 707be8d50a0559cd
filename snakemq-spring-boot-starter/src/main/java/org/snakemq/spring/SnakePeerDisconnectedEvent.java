package org.snakemq.spring;

import org.snakemq.link.Connection;

/**
 * An identified peer disconnected. Threads: as {@link SnakeMessageReceivedEvent}.
 *
 * @param identity   the peer's identity
 * @param connection the connection that closed
 */
public record SnakePeerDisconnectedEvent(String identity, Connection connection) {
}
