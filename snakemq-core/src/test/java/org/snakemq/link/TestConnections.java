package org.snakemq.link;

import io.netty.channel.embedded.EmbeddedChannel;

/** Connections for tests of layers that run over a fake {@link Transport}. */
public final class TestConnections {

    private TestConnections() {
    }

    /** A connection object backed by an embedded channel; no socket. */
    public static Connection create(long id) {
        return new Connection(id, Connection.Side.CONNECTOR, new EmbeddedChannel());
    }
}
