package org.snakemq.messaging;

import java.time.Duration;
import java.util.UUID;

import io.netty.buffer.ByteBuf;

import org.snakemq.message.Headers;
import org.snakemq.message.Message;
import org.snakemq.packeter.PacketBody;

/**
 * A message as it waits in a queue: compact (no UUID or Duration objects) and with a mutable TTL,
 * since the TTL counts down while the destination is away. Loop thread only once queued.
 */
final class Envelope implements PacketBody {

    static final long INFINITE = -1;

    final String destination;
    final long uuidHigh;
    final long uuidLow;
    final byte[] data;
    final int flags;
    /** Sent only to peers that take them, in a MESSAGE_WITH_HEADERS frame ({@link HeaderedMessage}). */
    final Headers headers;
    /** TTL left in milliseconds, relative to the queue's time base; {@link #INFINITE} for none. */
    long ttlMillis;
    /** The storage key of a persistent message, 0 when not stored. */
    long storageKey;
    /** The packet id of the last send, for peers that do not acknowledge. */
    long packetId;
    /** Position among the MESSAGE frames sent on the current connection, from 1. */
    long sequence;

    Envelope(String destination, Message message, long storageKey) {
        this.destination = destination;
        this.uuidHigh = message.uuid().getMostSignificantBits();
        this.uuidLow = message.uuid().getLeastSignificantBits();
        this.data = message.data();
        this.flags = message.flags();
        this.headers = message.headers();
        this.ttlMillis = message.ttl() == null ? INFINITE : message.ttl().toMillis();
        this.storageKey = storageKey;
    }

    boolean hasTtl() {
        return ttlMillis != INFINITE;
    }

    boolean isStored() {
        return storageKey != 0;
    }

    boolean hasUuid(long high, long low) {
        return uuidHigh == high && uuidLow == low;
    }

    UUID uuid() {
        return new UUID(uuidHigh, uuidLow);
    }

    Duration ttl() {
        return hasTtl() ? Duration.ofMillis(Math.max(0, ttlMillis)) : null;
    }

    @Override
    public int length() {
        return 1 + FrameType.MESSAGE_HEADER + data.length;
    }

    @Override
    public void writeTo(ByteBuf out) {
        out.writeByte(FrameType.MESSAGE);
        out.writeLong(uuidHigh);
        out.writeLong(uuidLow);
        out.writeInt((int) FrameCodec.ttlFieldMillis(ttlMillis));
        out.writeInt(flags);
        out.writeBytes(data);
    }
}
