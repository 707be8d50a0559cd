package org.snakemq.packeter;

import io.netty.buffer.ByteBuf;

import org.snakemq.link.Connection;

/**
 * Called on the loop thread with one received packet: the buffer's readable bytes are its payload.
 * The buffer is valid only during the call and must only be read; copy what you keep.
 */
@FunctionalInterface
public interface PacketListener {
    void onPacket(Connection connection, ByteBuf packet);
}
