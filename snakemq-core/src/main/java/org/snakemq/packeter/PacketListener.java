package org.snakemq.packeter;

import io.netty.buffer.ByteBuf;

import org.snakemq.link.Connection;

/** Called on the loop thread with one received packet; the buffer is valid only during the call. */
@FunctionalInterface
public interface PacketListener {
    void onPacket(Connection connection, ByteBuf packet);
}
