package org.snakemq.messaging;

import java.util.UUID;

import org.snakemq.link.Connection;

/**
 * A message left its queue for good: acknowledged by a peer that acknowledges, or fully written to
 * the socket of one that does not. Called on the link's loop thread.
 */
@FunctionalInterface
public interface MessageSentListener {
    void onSent(Connection connection, String identity, UUID uuid);
}
