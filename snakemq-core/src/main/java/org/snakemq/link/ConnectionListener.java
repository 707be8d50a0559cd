package org.snakemq.link;

/**
 * Called with a connection: connect, disconnect, ready to send.
 * Called on the link's loop thread ({@code snakemq-link-N}); do not block.
 */
@FunctionalInterface
public interface ConnectionListener {
    void on(Connection connection);
}
