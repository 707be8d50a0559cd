package org.snakemq.messaging;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

import io.netty.buffer.ByteBuf;

import org.snakemq.message.Message;
import org.snakemq.packeter.PacketBody;

/**
 * A message as it waits in a queue: compact (no UUID or Duration objects) and with a mutable TTL,
 * since the TTL counts down while the destination is away. Loop thread only once queued.
 */
sealed class Envelope implements PacketBody permits HeaderedEnvelope {

    static final long INFINITE = -1;

    /** Bytes of a {@linkplain #packed packed} envelope before its data: the id's halves and the flags. */
    static final int PACKED_HEADER = 20;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    final String destination;
    final long uuidHigh;
    final long uuidLow;
    final byte[] data;
    final int flags;
    /** TTL left in milliseconds, relative to the queue's time base; {@link #INFINITE} for none. */
    long ttlMillis;
    /** The storage key of a persistent message, 0 when not stored. */
    long storageKey;
    /** The packet id of the last send, for peers that do not acknowledge. */
    long packetId;
    /** Position among the MESSAGE frames sent on the current connection, from 1. */
    long sequence;

    /** The envelope of a message: a {@link HeaderedEnvelope} when it has headers. */
    static Envelope of(String destination, Message message, long storageKey) {
        return message.headers().isEmpty()
                ? new Envelope(destination, message, storageKey)
                : new HeaderedEnvelope(destination, message, storageKey);
    }

    Envelope(String destination, Message message, long storageKey) {
        this.destination = destination;
        this.uuidHigh = message.uuid().getMostSignificantBits();
        this.uuidLow = message.uuid().getLeastSignificantBits();
        this.data = message.data();
        this.flags = message.flags();
        this.ttlMillis = message.ttl() == null ? INFINITE : message.ttl().toMillis();
        this.storageKey = storageKey;
    }

    private Envelope(String destination, long uuidHigh, long uuidLow, byte[] data, int flags) {
        this.destination = destination;
        this.uuidHigh = uuidHigh;
        this.uuidLow = uuidLow;
        this.data = data;
        this.flags = flags;
        this.ttlMillis = INFINITE;
    }

    /**
     * Whether {@link #packed} can hold this envelope: a transient one never sent, without a TTL or
     * headers. Stored envelopes keep their storage key, sent ones (back in the queue after a
     * disconnection, at most a window of them) that they were sent, envelopes with a TTL the time it
     * counts down and envelopes with headers the headers, so all those stay objects.
     */
    boolean packable() {
        return isFirstSend() && ttlMillis == INFINITE && !(this instanceof HeaderedEnvelope);
    }

    /**
     * Whether no peer can have seen this message yet: it was never handed to a connection (a
     * {@linkplain #sequence} is given with the first send and kept when the message goes back to its
     * queue) and it is not stored (a stored one may have gone out before this process started).
     */
    boolean isFirstSend() {
        return sequence == 0 && storageKey == 0;
    }

    /**
     * This {@linkplain #packable packable} envelope as one array: the id's halves, the flags, then
     * the data, so a waiting message costs one object (16-byte header + 20 + data) instead of the
     * envelope and its data array. The destination is the queue's; packet id and sequence are given
     * anew by the next send.
     */
    byte[] packed() {
        byte[] packed = new byte[PACKED_HEADER + data.length];
        LONGS.set(packed, 0, uuidHigh);
        LONGS.set(packed, 8, uuidLow);
        INTS.set(packed, 16, flags);
        System.arraycopy(data, 0, packed, PACKED_HEADER, data.length);
        return packed;
    }

    /** The envelope {@link #packed} made {@code packed} from, for {@code destination}. */
    static Envelope unpacked(String destination, byte[] packed) {
        return new Envelope(destination, (long) LONGS.get(packed, 0), (long) LONGS.get(packed, 8),
                Arrays.copyOfRange(packed, PACKED_HEADER, packed.length), (int) INTS.get(packed, 16));
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
