package org.snakemq.packeter;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Splits a byte stream into {@code [4-byte length][payload]} packets. Memory grows only with the
 * bytes that actually arrived (a buffer for an unfinished packet is at most twice what arrived of
 * it), never with what a length prefix alone announces, and a prefix above the maximum is refused
 * before anything is buffered for it. Not thread-safe: one per connection.
 */
final class PacketDecoder {

    /**
     * Receives decoded packets: the buffer's readable bytes are one packet's payload. It is valid only
     * during the call and must only be read (its indexes are restored afterwards, its contents are not).
     * Called on the loop thread that fed the bytes.
     */
    @FunctionalInterface
    public interface Sink {
        void packet(ByteBuf payload);
    }

    /**
     * Supplies the packet size limit, read again before each packet (it may change mid-stream).
     * Read on the loop thread that feeds the bytes.
     */
    @FunctionalInterface
    public interface Limit {
        int maxPacketSize();
    }

    private static final int HEADER = 4;

    private final ByteBufAllocator allocator;
    private final Limit limit;
    private ByteBuf cumulation;
    private boolean failed;
    private boolean feeding;

    public PacketDecoder(ByteBufAllocator allocator, Limit limit) {
        this.allocator = allocator;
        this.limit = limit;
    }

    /**
     * Feeds bytes (not retained, not released) and hands every complete packet to the sink.
     *
     * @throws ProtocolException when a length prefix exceeds the limit; the decoder then refuses all
     *                           further input
     */
    public void feed(ByteBuf in, Sink sink) throws ProtocolException {
        if (failed) {
            return;
        }
        feeding = true;
        try {
            // an unfinished packet is completed from the front of the input; the rest of the input is
            // parsed where it lies, so the buffer held between reads never outgrows one packet
            if (cumulation != null && !complete(in, sink)) {
                return;
            }
            if (!failed) {
                drain(in, sink);
            }
        } catch (ProtocolException e) {
            failed = true;
            throw e;
        } finally {
            feeding = false;
            if (failed) {
                release();
            }
        }
        if (!failed && in.isReadable()) {
            cumulation = allocator.buffer(capacityFor(in, in.readableBytes()));
            cumulation.writeBytes(in);
        }
    }

    /**
     * Adds input to the unfinished packet, hands it to the sink once whole, and frees it.
     *
     * @return true when the packet was finished (the input may hold more); false when all of the
     *         input went into the still unfinished packet
     */
    private boolean complete(ByteBuf in, Sink sink) throws ProtocolException {
        if (cumulation.readableBytes() < HEADER) {
            int n = Math.min(HEADER - cumulation.readableBytes(), in.readableBytes());
            append(in, n);
            if (cumulation.readableBytes() < HEADER) {
                return false;
            }
        }
        long length = cumulation.getUnsignedInt(cumulation.readerIndex());
        int max = limit.maxPacketSize();
        if (length > max) {
            throw new ProtocolException("packet of " + length + " bytes exceeds the maximum of " + max);
        }
        long missing = HEADER + length - cumulation.readableBytes();
        if (in.readableBytes() < missing) {
            append(in, in.readableBytes());
            return false;
        }
        append(in, (int) missing);
        drain(cumulation, sink);
        release();
        return true;
    }

    /** Moves {@code n} bytes of the input behind the unfinished packet, growing its buffer only when full. */
    private void append(ByteBuf in, int n) {
        if (cumulation.writableBytes() < n) {
            int arrived = cumulation.readableBytes() + n;
            ByteBuf bigger = allocator.buffer(capacityFor(cumulation, arrived));
            bigger.writeBytes(cumulation);
            cumulation.release();
            cumulation = bigger;
        }
        cumulation.writeBytes(in, n);
    }

    /**
     * Room for {@code arrived} bytes that start with an unfinished packet: the whole packet when that
     * is at most twice what arrived, so a large packet that comes in a few reads is copied once, and
     * twice what arrived otherwise. The length prefix was checked against the limit already.
     */
    private static int capacityFor(ByteBuf start, int arrived) {
        if (start.readableBytes() < HEADER) {
            return arrived;
        }
        long frame = HEADER + start.getUnsignedInt(start.readerIndex());
        return (int) Math.max(arrived, Math.min(Math.min(frame, 2L * arrived), Integer.MAX_VALUE - 8));
    }

    private void drain(ByteBuf buffer, Sink sink) throws ProtocolException {
        int available = buffer.writerIndex();
        while (!failed && available - buffer.readerIndex() >= HEADER) {
            int start = buffer.readerIndex();
            long length = buffer.getUnsignedInt(start);
            int max = limit.maxPacketSize();
            if (length > max) {
                throw new ProtocolException("packet of " + length + " bytes exceeds the maximum of " + max);
            }
            if (available - start - HEADER < length) {
                return;
            }
            int end = start + HEADER + (int) length;
            // the buffer itself, narrowed to the payload: no slice object per packet
            buffer.setIndex(start + HEADER, end);
            try {
                sink.packet(buffer);
            } finally {
                buffer.setIndex(end, available);
            }
        }
    }

    /** Bytes held for an incomplete packet. */
    public int bufferedBytes() {
        return cumulation == null ? 0 : cumulation.readableBytes();
    }

    /**
     * Refuses all further input and frees what is buffered; safe to call from inside the sink (the
     * buffer is then freed when {@link #feed} returns).
     */
    public void stop() {
        failed = true;
        if (!feeding) {
            release();
        }
    }

    private void release() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }
}
