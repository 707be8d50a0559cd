package org.snakemq.link;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import org.slf4j.LoggerFactory;

/**
 * A transport without sockets: a real loop thread, sends recorded until the test completes them,
 * writability and read pausing under test control.
 */
public final class FakeTransport implements Transport, AutoCloseable {

    /** One {@link #send} as the layer above made it. */
    public record Sent(byte[] bytes, WriteListener listener) {
    }

    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final TransportCallbacks callbacks = new TransportCallbacks(LoggerFactory.getLogger("test"));

    public final List<Sent> sent = new CopyOnWriteArrayList<>();
    public volatile boolean writable = true;
    public volatile boolean readPaused;

    public void run(Runnable task) {
        try {
            loop.submit(task).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void connect(Connection c) {
        run(() -> callbacks.onConnect().fire(l -> l.on(c)));
    }

    public void drop(Connection c) {
        run(() -> callbacks.onDisconnect().fire(l -> l.on(c)));
    }

    public void receive(Connection c, byte[] bytes) {
        run(() -> {
            ByteBuf data = Unpooled.wrappedBuffer(bytes);
            try {
                callbacks.onReceive().fire(l -> l.onReceive(c, data));
            } finally {
                data.release();
            }
        });
    }

    public void becomeWritable(Connection c) {
        run(() -> {
            writable = true;
            callbacks.onReadyToSend().fire(l -> l.on(c));
        });
    }

    /** Completes the listener of the n-th send (as a link does once the bytes are on the socket). */
    public void complete(int index, boolean success) {
        run(() -> {
            WriteListener listener = sent.get(index).listener();
            if (listener != null) {
                listener.onWritten(success);
            }
        });
    }

    public int sentBytes() {
        return sent.stream().mapToInt(s -> s.bytes().length).sum();
    }

    @Override
    public TransportCallbacks callbacks() {
        return callbacks;
    }

    @Override
    public void send(Connection connection, ByteBuf data, WriteListener listener) {
        if (!inLoop()) {
            throw new AssertionError("bytes must be handed to the transport on its loop thread");
        }
        byte[] bytes = new byte[data.readableBytes()];
        data.readBytes(bytes);
        data.release();
        sent.add(new Sent(bytes, listener));
    }

    @Override
    public boolean isWritable(Connection connection) {
        return writable;
    }

    @Override
    public void setReadPaused(Connection connection, boolean paused) {
        readPaused = paused;
    }

    @Override
    public void disconnect(Connection connection) {
        loop.execute(() -> callbacks.onDisconnect().fire(l -> l.on(connection)));
    }

    @Override
    public ByteBufAllocator allocator() {
        return ByteBufAllocator.DEFAULT;
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean inLoop() {
        return loop.inEventLoop();
    }

    @Override
    public void close() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
