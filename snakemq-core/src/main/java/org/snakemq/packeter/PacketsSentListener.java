package org.snakemq.packeter;

import org.snakemq.link.Connection;

/**
 * Called on the loop thread when packets were fully written to the socket: every packet id from
 * {@code firstId} to {@code lastId}, inclusive, of that connection.
 */
@FunctionalInterface
public interface PacketsSentListener {
    void onPacketsSent(Connection connection, long firstId, long lastId);
}
