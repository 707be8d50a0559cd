package org.snakemq.packeter;

import java.util.HashMap;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.snakemq.callback.Callbacks;
import org.snakemq.link.Connection;
import org.snakemq.link.ConnectionListener;
import org.snakemq.link.Transport;

/**
 * Frames packets as {@code [4-byte big-endian length][payload]} over a {@link Transport} (a link or a
 * throttle). Packets sent during one pass of the loop are coalesced into one write.
 *
 * <p>Threads: callbacks run on the transport's loop thread, and {@link #send} must be called there
 * too (from a callback or through {@code transport().execute(...)}).
 */
public final class Packeter {

    /** The default maximum packet size: 64 MiB. */
    public static final int DEFAULT_MAX_PACKET_SIZE = 64 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger("snakemq.packeter");
    private static final int HEADER = 4;
    private static final int COALESCE_LIMIT = 64 * 1024;
    private static final int MIN_PENDING = 256;
    private static final int SMALL_WRITE = 4096;

    private final Transport transport;
    private final int maxPacketSize;
    private final Map<Connection, ConnectionState> states = new HashMap<>();
    /** The state {@link #send} used last; loop thread only. */
    private ConnectionState lastState;

    private final Callbacks<ConnectionListener> onConnect = new Callbacks<>("on_connect", log);
    private final Callbacks<ConnectionListener> onDisconnect = new Callbacks<>("on_disconnect", log);
    private final Callbacks<ConnectionListener> onReadyToSend = new Callbacks<>("on_ready_to_send", log);
    private final Callbacks<PacketListener> onPacketReceived = new Callbacks<>("on_packet_recv", log);
    private final Callbacks<PacketsSentListener> onPacketsSent = new Callbacks<>("on_packet_sent", log);
    private final Callbacks<ErrorListener> onError = new Callbacks<>("on_error", log);

    /** A packeter with the {@linkplain #DEFAULT_MAX_PACKET_SIZE default maximum packet size}. */
    public Packeter(Transport transport) {
        this(transport, DEFAULT_MAX_PACKET_SIZE);
    }

    /** A packeter that refuses packets larger than {@code maxPacketSize} bytes. */
    public Packeter(Transport transport, int maxPacketSize) {
        if (maxPacketSize <= 0) {
            throw new IllegalArgumentException("maxPacketSize must be positive: " + maxPacketSize);
        }
        this.transport = transport;
        this.maxPacketSize = maxPacketSize;
        transport.onConnect().add(this::connected);
        transport.onDisconnect().add(this::disconnected);
        transport.onReceive().add(this::received);
        transport.onReadyToSend().add(c -> onReadyToSend.fire(l -> l.on(c)));
    }

    public Transport transport() {
        return transport;
    }

    public int maxPacketSize() {
        return maxPacketSize;
    }

    public Callbacks<ConnectionListener> onConnect() {
        return onConnect;
    }

    public Callbacks<ConnectionListener> onDisconnect() {
        return onDisconnect;
    }

    /** The connection can take more packets again (see {@link #isWritable}). */
    public Callbacks<ConnectionListener> onReadyToSend() {
        return onReadyToSend;
    }

    public Callbacks<PacketListener> onPacketReceived() {
        return onPacketReceived;
    }

    public Callbacks<PacketsSentListener> onPacketsSent() {
        return onPacketsSent;
    }

    /** A peer broke the framing (a packet over the size limit); the connection is being closed. */
    public Callbacks<ErrorListener> onError() {
        return onError;
    }

    /**
     * Queues a packet and returns its id (increasing per connection). The packet goes out at the end
     * of the current loop pass, together with the others sent in that pass. Loop thread only.
     *
     * @return the packet id, or -1 when the connection is gone
     */
    public long send(Connection connection, PacketBody body) {
        checkLoop();
        ConnectionState state = lastState;
        if (state == null || state.connection != connection) {
            // messages go out in runs to one connection: skip the map lookup within a run
            state = states.get(connection);
            lastState = state;
        }
        if (state == null || state.closing) {
            return -1;
        }
        int length = body.length();
        if (state.pending == null) {
            state.pending = transport.allocator().ioBuffer(pendingCapacity(state.lastFlushBytes, length + HEADER));
            state.pendingFirstId = state.nextId;
        }
        ByteBuf out = state.pending;
        out.writeInt(length);
        int start = out.writerIndex();
        body.writeTo(out);
        if (out.writerIndex() - start != length) {
            throw new IllegalStateException("packet body wrote " + (out.writerIndex() - start)
                    + " bytes, announced " + length);
        }
        long id = state.nextId++;
        if (out.readableBytes() >= COALESCE_LIMIT) {
            flush(state);
        } else if (!state.flushScheduled) {
            state.flushScheduled = true;
            transport.execute(state.flushTask);
        }
        return id;
    }

    /** {@link #send(Connection, PacketBody)} for a byte array. */
    public long send(Connection connection, byte[] payload) {
        return send(connection, PacketBody.of(payload));
    }

    /**
     * Writes the packets queued for the connection now instead of at the end of the loop pass, for a
     * packet the peer waits on (an acknowledgement in the middle of a long read). Loop thread only.
     */
    public void flush(Connection connection) {
        checkLoop();
        ConnectionState state = states.get(connection);
        if (state != null && !state.closing) {
            flush(state);
        }
    }

    /** Sends what is queued for the connection, then closes it. Loop thread only. */
    public void closeAfterFlush(Connection connection) {
        checkLoop();
        ConnectionState state = states.get(connection);
        if (state == null) {
            transport.disconnect(connection);
            return;
        }
        state.closing = true;
        if (state.pending == null) {
            transport.disconnect(connection);
        } else {
            ByteBuf data = state.pending;
            state.pending = null;
            transport.send(connection, data, ok -> transport.disconnect(connection));
        }
    }

    /** Whether the connection can take more packets without growing its buffer past the high-water mark. */
    public boolean isWritable(Connection connection) {
        return transport.isWritable(connection);
    }

    /**
     * Sets the largest packet accepted on one connection from now on (messaging keeps it small until
     * the peer identified itself). Loop thread only.
     */
    public void setMaxPacketSize(Connection connection, int max) {
        ConnectionState state = states.get(connection);
        if (state != null) {
            state.maxPacketSize = Math.min(max, maxPacketSize);
        }
    }

    private void connected(Connection connection) {
        states.put(connection, new ConnectionState(connection));
        onConnect.fire(l -> l.on(connection));
    }

    private void disconnected(Connection connection) {
        ConnectionState state = states.remove(connection);
        if (lastState == state) {
            lastState = null;
        }
        if (state != null) {
            state.decoder.stop();
            if (state.pending != null) {
                state.pending.release();
                state.pending = null;
            }
        }
        onDisconnect.fire(l -> l.on(connection));
    }

    private void received(Connection connection, ByteBuf data) {
        ConnectionState state = states.get(connection);
        if (state == null || state.closing) {
            return;
        }
        try {
            state.decoder.feed(data, state.sink);
        } catch (ProtocolException e) {
            log.warn("{}: {}; closing", connection, e.getMessage());
            state.closing = true;
            onError.fire(l -> l.onError(connection, e));
            transport.disconnect(connection);
        }
    }

    private void flush(ConnectionState state) {
        ByteBuf data = state.pending;
        if (data == null) {
            return;
        }
        state.pending = null;
        state.lastFlushBytes = data.readableBytes();
        long first = state.pendingFirstId;
        long last = state.nextId - 1;
        Connection connection = state.connection;
        transport.send(connection, data, ok -> {
            if (ok) {
                onPacketsSent.fire(l -> l.onPacketsSent(connection, first, last));
            }
        });
    }

    /**
     * The first capacity of a connection's coalescing buffer: the whole {@value #COALESCE_LIMIT} bytes
     * for a connection whose last write held more than {@value #SMALL_WRITE} bytes (a stream, as
     * before), otherwise what its last write held rounded up to a power of two. A connection that
     * sends a small packet now and then (a hub acknowledging 10,000 peers) then holds a few hundred
     * bytes per pass instead of 64 KiB; one that turns busy grows its buffer by doubling (ByteBuf
     * grows on write) until its writes are large.
     */
    static int pendingCapacity(int lastFlushBytes, int needed) {
        int want = Math.max(lastFlushBytes, needed);
        if (want > SMALL_WRITE) {
            return Math.max(COALESCE_LIMIT, needed);
        }
        return Math.max(MIN_PENDING, Integer.highestOneBit(Math.max(1, want - 1)) << 1);
    }

    private void checkLoop() {
        if (!transport.inLoop()) {
            throw new IllegalStateException("Packeter must be used on the loop thread");
        }
    }

    /** Per-connection framing state; loop thread only. */
    private final class ConnectionState {
        final Connection connection;
        final PacketDecoder decoder;
        final PacketDecoder.Sink sink;
        final Runnable flushTask;
        int maxPacketSize = Packeter.this.maxPacketSize;
        ByteBuf pending;
        long pendingFirstId;
        long nextId = 1;
        /** Bytes of the last write, for the size of the next coalescing buffer. */
        int lastFlushBytes;
        boolean flushScheduled;
        boolean closing;

        ConnectionState(Connection connection) {
            this.connection = connection;
            this.decoder = new PacketDecoder(transport.allocator(), () -> maxPacketSize);
            this.sink = packet -> onPacketReceived.fire(l -> l.onPacket(connection, packet));
            this.flushTask = () -> {
                flushScheduled = false;
                flush(this);
            };
        }
    }
}
