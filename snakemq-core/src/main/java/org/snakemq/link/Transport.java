package org.snakemq.link;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import org.snakemq.callback.Callbacks;

/**
 * The shape of a {@link Link} as the layer above sees it: connections that carry bytes, and one loop
 * thread that runs every callback. A {@code Throttle} has the same shape, so it can stand between a
 * link and a {@code Packeter}.
 *
 * <p>Threads: every callback runs on the transport's loop thread. {@link #send}, {@link #disconnect}
 * and {@link #setReadPaused} may be called from any thread; they hop to the loop thread when needed.
 */
public interface Transport {

    /**
     * The callback lists of this transport, which the five methods below return. A transport that
     * intercepts an event returns its own list for it here; overriding one of the five alone would leave
     * this holder telling otherwise.
     */
    TransportCallbacks callbacks();

    /** A connection was made (after the TLS handshake for a TLS connection). */
    default Callbacks<ConnectionListener> onConnect() {
        return callbacks().onConnect();
    }

    /** A connection was closed, by either side or by an error. */
    default Callbacks<ConnectionListener> onDisconnect() {
        return callbacks().onDisconnect();
    }

    /** Bytes arrived on a connection. */
    default Callbacks<ReceiveListener> onReceive() {
        return callbacks().onReceive();
    }

    /** A connection that was not {@linkplain #isWritable writable} can take more bytes again. */
    default Callbacks<ConnectionListener> onReadyToSend() {
        return callbacks().onReadyToSend();
    }

    /** The loop made a pass: after {@link Link#wakeup()} and at least once per poll interval. */
    default Callbacks<Runnable> onLoopPass() {
        return callbacks().onLoopPass();
    }

    /**
     * Queues bytes for a connection and takes ownership of the buffer.
     *
     * @param listener told when the bytes are on the socket, or that they never will be; may be null
     */
    void send(Connection connection, ByteBuf data, WriteListener listener);

    /** Whether the connection's outgoing buffer is below its high-water mark. */
    boolean isWritable(Connection connection);

    /** Stops or resumes reading from a connection (back-pressure, throttling). */
    void setReadPaused(Connection connection, boolean paused);

    /** Closes one connection; the disconnect callback follows. */
    void disconnect(Connection connection);

    /** Allocator for outgoing buffers. */
    ByteBufAllocator allocator();

    /** Runs a task on the loop thread, soon. */
    void execute(Runnable task);

    /** Runs a task on the loop thread after a delay. */
    ScheduledFuture<?> schedule(Runnable task, Duration delay);

    /** Whether the calling thread is the loop thread. */
    boolean inLoop();
}
