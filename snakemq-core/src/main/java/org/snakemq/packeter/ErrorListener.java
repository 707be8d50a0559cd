package org.snakemq.packeter;

import org.snakemq.link.Connection;

/** Called on the loop thread when a connection misbehaved; the connection is closed afterwards. */
@FunctionalInterface
public interface ErrorListener {
    void onError(Connection connection, Throwable error);
}
