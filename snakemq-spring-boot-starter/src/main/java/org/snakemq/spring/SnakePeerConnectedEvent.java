package org.snakemq.spring;

import org.snakemq.link.Connection;

/**
 * A peer connected and identified itself. Threads: as {@link SnakeMessageReceivedEvent}.
 *
 * @param identity   the peer's identity
 * @param connection its connection
 */
public record SnakePeerConnectedEvent(String identity, Connection connection) {
}
