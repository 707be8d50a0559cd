package org.snakemq.throttle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.snakemq.link.Connection;
import org.snakemq.link.ForwardingTransport;
import org.snakemq.link.Transport;
import org.snakemq.link.TransportCallbacks;
import org.snakemq.link.WriteListener;

/**
 * A per-connection bandwidth limit between a link and a packeter, the original's
 * {@code Throttle(link, 10000)}:
 *
 * <pre>{@code
 * Link link = new Link();
 * Packeter packeter = new Packeter(new Throttle(link, 10_000)); // about 10 kB/s each way, per connection
 * }</pre>
 *
 * <p>Each connection has a token bucket per direction. Outgoing data is queued here and handed to the
 * link in pieces of at most {@link #chunkSize()} bytes as the bucket allows, so bursts stay within two
 * pieces; {@link #isWritable} turns false while this queue is long, and {@code onReadyToSend} fires when
 * it has drained. Incoming data is passed up at the receive rate; while some is held back, reading from
 * the socket is paused, so TCP slows the sender down. Unlike the original, which sends up to twice as
 * fast as asked, the long-run rate is the configured one.
 *
 * <p>Threads: as for every {@link Transport}, all callbacks run on the link's loop thread, and
 * {@link #send}, {@link #setReadPaused} and {@link #disconnect} may be called from any thread.
 */
public final class Throttle extends ForwardingTransport {

    /** A rate that means "no limit" for that direction. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private static final Logger log = LoggerFactory.getLogger("snakemq.throttle");
    private static final int MIN_CHUNK = 256;
    private static final int MAX_CHUNK = 64 * 1024;

    private final Transport transport;
    private final long sendRate;
    private final long receiveRate;
    private final Map<Connection, Flow> flows = new ConcurrentHashMap<>();

    /** Its own lists for the connection events it paces; the loop passes are the transport's. */
    private final TransportCallbacks callbacks;

    /** Limits each connection to {@code bytesPerSecond} in each direction. */
    public Throttle(Transport transport, long bytesPerSecond) {
        this(transport, bytesPerSecond, bytesPerSecond);
    }

    /**
     * Limits each connection's sending and receiving separately; {@link #UNLIMITED} leaves a direction
     * alone.
     */
    public Throttle(Transport transport, long sendBytesPerSecond, long receiveBytesPerSecond) {
        super(transport);
        this.transport = transport;
        if (sendBytesPerSecond <= 0 || receiveBytesPerSecond <= 0) {
            throw new IllegalArgumentException("rates must be positive bytes per second");
        }
        this.sendRate = sendBytesPerSecond;
        this.receiveRate = receiveBytesPerSecond;
        this.callbacks = new TransportCallbacks(log).withOnLoopPass(transport.onLoopPass());
        transport.onConnect().add(this::connected);
        transport.onDisconnect().add(this::disconnected);
        transport.onReceive().add(this::received);
        transport.onReadyToSend().add(this::transportReady);
    }

    /** The transport underneath (usually the link). */
    public Transport transport() {
        return transport;
    }

    public long sendBytesPerSecond() {
        return sendRate;
    }

    public long receiveBytesPerSecond() {
        return receiveRate;
    }

    /** The largest piece handed to the link (sending) or up (receiving) at once: 50 ms worth, 256 B to 64 KiB. */
    public int chunkSize() {
        return chunk(sendRate);
    }

    private static int chunk(long rate) {
        return (int) Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, rate / 20));
    }

    // ---------------------------------------------------------------- Transport

    @Override
    public TransportCallbacks callbacks() {
        return callbacks;
    }

    /**
     * Queues bytes behind the connection's earlier ones; they go to the link as the send rate allows.
     * The listener is told once the link has written the last byte, or that it never will.
     */
    @Override
    public void send(Connection connection, ByteBuf data, WriteListener listener) {
        if (!transport.inLoop()) {
            try {
                transport.execute(() -> send(connection, data, listener));
            } catch (RejectedExecutionException e) {
                data.release();
            }
            return;
        }
        Flow flow = flows.get(connection);
        if (flow == null || sendRate == UNLIMITED) {
            transport.send(connection, data, listener);
            return;
        }
        flow.enqueue(data, listener);
    }

    /** False while this connection's throttled backlog is long, or while the link's own buffer is full. */
    @Override
    public boolean isWritable(Connection connection) {
        Flow flow = flows.get(connection);
        return (flow == null || flow.writable) && transport.isWritable(connection);
    }

    @Override
    public void setReadPaused(Connection connection, boolean paused) {
        if (!transport.inLoop()) {
            transport.execute(() -> setReadPaused(connection, paused));
            return;
        }
        Flow flow = flows.get(connection);
        if (flow == null) {
            transport.setReadPaused(connection, paused);
        } else {
            flow.userPaused = paused;
            flow.applyReadPause();
            if (!paused) {
                flow.kickIn();
            }
        }
    }

    /** Closes the connection at once; data still queued here is not sent (as with the link's buffer). */
    @Override
    public void disconnect(Connection connection) {
        transport.disconnect(connection);
    }

    // ---------------------------------------------------------------- events from the transport

    private void connected(Connection connection) {
        flows.put(connection, new Flow(connection));
        callbacks.onConnect().fire(l -> l.on(connection));
    }

    private void disconnected(Connection connection) {
        Flow flow = flows.remove(connection);
        if (flow != null) {
            flow.close();
        }
        callbacks.onDisconnect().fire(l -> l.on(connection));
    }

    private void received(Connection connection, ByteBuf data) {
        Flow flow = flows.get(connection);
        if (flow == null || receiveRate == UNLIMITED) {
            callbacks.onReceive().fire(l -> l.onReceive(connection, data));
            return;
        }
        flow.arrived(data);
    }

    private void transportReady(Connection connection) {
        Flow flow = flows.get(connection);
        if (flow != null) {
            flow.kickOut();
            if (!flow.writable) {
                return; // onReadyToSend follows when our own backlog drains
            }
        }
        callbacks.onReadyToSend().fire(l -> l.on(connection));
    }

    /** Bytes handed to {@link #send} with the listener to tell. */
    private record Pending(ByteBuf data, WriteListener listener) {
    }

    /** Both directions of one connection. Loop thread only, except the volatile flag. */
    private final class Flow {
        final Connection connection;
        final int sendChunk = chunk(sendRate);
        final int receiveChunk = chunk(receiveRate);
        // a burst is at most two pieces; the second absorbs timers that fire late
        final TokenBucket sendBucket;
        final TokenBucket receiveBucket;
        final long highWater = Math.max(2L * sendChunk, sendRate / 4);
        final long lowWater = highWater / 2;

        final ArrayDeque<Pending> out = new ArrayDeque<>();
        long outBacklog;
        ScheduledFuture<?> sendTimer;
        volatile boolean writable = true;

        final ArrayDeque<ByteBuf> in = new ArrayDeque<>();
        ScheduledFuture<?> receiveTimer;
        boolean userPaused;
        boolean throttlePaused;
        boolean readPaused;
        boolean closed;

        Flow(Connection connection) {
            this.connection = connection;
            long now = System.nanoTime();
            sendBucket = new TokenBucket(sendRate, 2L * sendChunk, sendChunk, now);
            receiveBucket = new TokenBucket(receiveRate, 2L * receiveChunk, receiveChunk, now);
        }

        // ------------------------------------------------ sending

        void enqueue(ByteBuf data, WriteListener listener) {
            out.add(new Pending(data, listener));
            outBacklog += data.readableBytes();
            kickOut();
            updateWritable();
        }

        void kickOut() {
            if (sendTimer == null && !closed) {
                drainOut();
            }
        }

        private void drainOut() {
            sendTimer = null;
            long now = System.nanoTime();
            while (!out.isEmpty() && !closed) {
                if (!transport.isWritable(connection)) {
                    break; // the link's buffer is full; its onReadyToSend kicks us again
                }
                Pending head = out.peek();
                int size = Math.min(sendChunk, head.data().readableBytes());
                if (!sendBucket.tryTake(size, now)) {
                    sendTimer = transport.schedule(this::drainOut, Duration.ofNanos(sendBucket.nanosUntil(size, now)));
                    break;
                }
                outBacklog -= size;
                if (size == head.data().readableBytes()) {
                    out.poll();
                    // the whole buffer, or its last piece: links write in order, so when this piece is
                    // written every earlier piece of the buffer is too
                    transport.send(connection, head.data(), head.listener());
                } else {
                    transport.send(connection, head.data().readRetainedSlice(size), null);
                }
            }
            updateWritable();
        }

        private void updateWritable() {
            if (writable && outBacklog > highWater) {
                writable = false;
            } else if (!writable && outBacklog <= lowWater && !closed) {
                writable = true;
                if (transport.isWritable(connection)) {
                    callbacks.onReadyToSend().fire(l -> l.on(connection));
                }
            }
        }

        // ------------------------------------------------ receiving

        void arrived(ByteBuf data) {
            in.add(data.retain());
            kickIn();
        }

        void kickIn() {
            if (receiveTimer == null && !closed) {
                drainIn();
            }
        }

        private void drainIn() {
            receiveTimer = null;
            long now = System.nanoTime();
            while (!in.isEmpty() && !userPaused && !closed) {
                ByteBuf head = in.peek();
                int size = Math.min(receiveChunk, head.readableBytes());
                if (!receiveBucket.tryTake(size, now)) {
                    receiveTimer = transport.schedule(this::drainIn,
                            Duration.ofNanos(receiveBucket.nanosUntil(size, now)));
                    break;
                }
                deliver(head, size);
            }
            // hold the socket while we hold data: the sender's TCP window closes instead of our memory growing
            throttlePaused = !in.isEmpty();
            applyReadPause();
        }

        private void deliver(ByteBuf head, int size) {
            ByteBuf piece = head.readSlice(size);
            try {
                callbacks.onReceive().fire(l -> l.onReceive(connection, piece));
            } finally {
                if (!head.isReadable() && in.peek() == head) {
                    in.poll();
                    head.release();
                }
            }
        }

        void applyReadPause() {
            boolean pause = userPaused || throttlePaused;
            if (pause != readPaused && !closed) {
                readPaused = pause;
                transport.setReadPaused(connection, pause);
            }
        }

        // ------------------------------------------------ end

        /** Passes up what was already read, and fails what was not sent. */
        void close() {
            if (sendTimer != null) {
                sendTimer.cancel(false);
            }
            if (receiveTimer != null) {
                receiveTimer.cancel(false);
            }
            while (!in.isEmpty()) {
                ByteBuf head = in.peek();
                deliver(head, head.readableBytes());
            }
            closed = true;
            for (Pending pending; (pending = out.poll()) != null; ) {
                pending.data().release();
                if (pending.listener() != null) {
                    WriteListener listener = pending.listener();
                    try {
                        listener.onWritten(false);
                    } catch (RuntimeException e) {
                        log.error("write listener failed", e);
                    }
                }
            }
            outBacklog = 0;
        }
    }
}
