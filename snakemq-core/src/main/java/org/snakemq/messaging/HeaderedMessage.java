package org.snakemq.messaging;

import io.netty.buffer.ByteBuf;

import org.snakemq.message.HeaderBlock;
import org.snakemq.packeter.PacketBody;

/**
 * The MESSAGE_WITH_HEADERS frame of a queued envelope, for a peer that announced
 * {@link FrameType#CAP_HEADERS}. Made per send: messages without headers never get one, so the
 * plain MESSAGE path ({@link Envelope#writeTo}) stays as it is. Loop thread only.
 */
final class HeaderedMessage implements PacketBody {

    private final Envelope envelope;
    private final byte[] block;

    HeaderedMessage(Envelope envelope) {
        this.envelope = envelope;
        this.block = HeaderBlock.encode(envelope.headers);
    }

    @Override
    public int length() {
        return 1 + FrameType.MESSAGE_HEADER + block.length + envelope.data.length;
    }

    @Override
    public void writeTo(ByteBuf out) {
        out.writeByte(FrameType.MESSAGE_WITH_HEADERS);
        out.writeLong(envelope.uuidHigh);
        out.writeLong(envelope.uuidLow);
        out.writeInt((int) FrameCodec.ttlFieldMillis(envelope.ttlMillis));
        out.writeInt(envelope.flags);
        out.writeBytes(block);
        out.writeBytes(envelope.data);
    }
}
