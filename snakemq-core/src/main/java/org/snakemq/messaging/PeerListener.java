package org.snakemq.messaging;

import org.snakemq.link.Connection;

/** A peer connected (identified itself) or disconnected. Called on the link's loop thread. */
@FunctionalInterface
public interface PeerListener {
    void on(Connection connection, String identity);
}
