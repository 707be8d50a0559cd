package org.snakemq.link;

/** Called with a connection: connect, disconnect, ready to send. */
@FunctionalInterface
public interface ConnectionListener {
    void on(Connection connection);
}
