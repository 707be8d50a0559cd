package org.snakemq.packeter;

import io.netty.buffer.ByteBuf;

/**
 * The payload of one packet, written straight into the outgoing buffer.
 * Written on the loop thread, during {@link Packeter#send}; it must not change while it is written.
 */
public interface PacketBody {

    /** The number of bytes {@link #writeTo} writes. */
    int length();

    /** Writes exactly {@link #length()} bytes. */
    void writeTo(ByteBuf out);

    /** A body holding a copy-free view of {@code payload}. */
    static PacketBody of(byte[] payload) {
        return new PacketBody() {
            @Override
            public int length() {
                return payload.length;
            }

            @Override
            public void writeTo(ByteBuf out) {
                out.writeBytes(payload);
            }
        };
    }
}
