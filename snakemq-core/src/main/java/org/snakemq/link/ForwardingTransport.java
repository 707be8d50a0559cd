package org.snakemq.link;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A {@link Transport} that hands every call to another one. Decorators (a throttle, a byte counter)
 * extend it and override only what they change.
 * Each call is forwarded on the thread that makes it; the callbacks fire on the loop thread, as the wrapped transport fires them.
 */
public abstract class ForwardingTransport implements Transport {

    private final Transport delegate;

    protected ForwardingTransport(Transport delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The transport calls are forwarded to. */
    public Transport delegate() {
        return delegate;
    }

    /** The transport's own lists; a decorator that intercepts an event returns a holder with its list for it. */
    @Override
    public TransportCallbacks callbacks() {
        return delegate.callbacks();
    }

    @Override
    public void send(Connection connection, ByteBuf data, WriteListener listener) {
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
    public ByteBufAllocator allocator() {
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
