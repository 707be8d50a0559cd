package org.snakemq.link;

import io.netty.buffer.ByteBuf;

/**
 * Called with bytes read from a connection. The buffer is valid only during the call and is released
 * by the caller afterwards; retain it to keep it.
 * Called on the link's loop thread ({@code snakemq-link-N}); do not block.
 */
@FunctionalInterface
public interface ReceiveListener {
    void onReceive(Connection connection, ByteBuf data);
}
