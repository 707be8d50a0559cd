package org.snakemq.link;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import org.snakemq.callback.Callbacks;

/**
 * A {@link Transport} that hands every call to another one. Decorators (a throttle, a byte counter)
 * extend it and override only what they change.
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
        return delegate.onReceive();
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
