package org.snakemq.spring.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;

import io.netty.buffer.ByteBuf;
import org.slf4j.LoggerFactory;

import org.snakemq.callback.Callbacks;
import org.snakemq.link.Connection;
import org.snakemq.link.ConnectionListener;
import org.snakemq.link.ReceiveListener;
import org.snakemq.link.Transport;
import org.snakemq.link.WriteListener;

/**
 * A {@link Transport} that passes everything through to another one and counts the bytes in each
 * direction. It sits directly on the link, so the counts are bytes on the wire (before TLS).
 *
 * <p>Threads: as the transport it wraps; received bytes are counted on the loop thread, sent bytes
 * on the thread that sends.
 */
public final class CountingTransport implements Transport {

    private final Transport delegate;
    private final TrafficCounter counter;
    private final Callbacks<ReceiveListener> onReceive =
            new Callbacks<>("on_recv", LoggerFactory.getLogger("snakemq.link"));

    public CountingTransport(Transport delegate, TrafficCounter counter) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.counter = Objects.requireNonNull(counter, "counter");
        delegate.onReceive().add((connection, data) -> {
            counter.received(data.readableBytes());
            onReceive.fire(l -> l.onReceive(connection, data));
        });
    }

    /** The transport this one wraps. */
    public Transport delegate() {
        return delegate;
    }

    @Override
    public Callbacks<ConnectionListener> onConnect() {
        return delegate.onConnect();
    }

    @Override
    public Callbacks<ConnectionListener> onDisconnect() {
        return delegate.onDisconnect();
    }

    @Override
    public Callbacks<ReceiveListener> onReceive() {
        return onReceive;
    }

    @Override
    public Callbacks<ConnectionListener> onReadyToSend() {
        return delegate.onReadyToSend();
    }

    @Override
    public Callbacks<Runnable> onLoopPass() {
        return delegate.onLoopPass();
    }

    @Override
    public void send(Connection connection, ByteBuf data, WriteListener listener) {
        counter.sent(data.readableBytes());
        delegate.send(connection, data, listener);
    }

    @Override
    public boolean isWritable(Connection connection) {
        return delegate.isWritable(connection);
    }

    @Override
    public void setReadPaused(Connection connection, boolean paused) {
        delegate.setReadPaused(connection, paused);
    }

    @Override
    public void disconnect(Connection connection) {
        delegate.disconnect(connection);
    }

    @Override
    public io.netty.buffer.ByteBufAllocator allocator() {
        return delegate.allocator();
    }

    @Override
    public void execute(Runnable task) {
        delegate.execute(task);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return delegate.schedule(task, delay);
    }

    @Override
    public boolean inLoop() {
        return delegate.inLoop();
    }
}
