package org.snakemq.reliability;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import org.snakemq.callback.Callbacks;
import org.snakemq.link.Connection;
import org.snakemq.link.ConnectionListener;
import org.snakemq.link.ReceiveListener;
import org.snakemq.link.Transport;
import org.snakemq.link.WriteListener;

/**
 * A {@link Transport} in front of a link that counts the MESSAGE frames handed to the socket. The
 * packeter only ever passes whole packets to {@code send}, so walking the length prefixes is exact.
 */
final class CountingTransport implements Transport {

    private final Transport link;
    private final AtomicLong messagesWritten = new AtomicLong();
    private volatile Runnable afterWrite = () -> { };

    CountingTransport(Transport link) {
        this.link = link;
    }

    /** Runs on the loop thread after each counted write. */
    void afterWrite(Runnable action) {
        afterWrite = action;
    }

    long messagesWritten() {
        return messagesWritten.get();
    }

    @Override
    public void send(Connection connection, ByteBuf data, WriteListener listener) {
        int index = data.readerIndex();
        long messages = 0;
        while (data.writerIndex() - index >= 5) {
            long length = data.getUnsignedInt(index);
            if (length > 0 && data.getUnsignedByte(index + 4) == 3) {
                messages++;
            }
            index += 4 + (int) length;
        }
        messagesWritten.addAndGet(messages);
        link.send(connection, data, listener);
        afterWrite.run();
    }

    @Override
    public Callbacks<ConnectionListener> onConnect() {
        return link.onConnect();
    }

    @Override
    public Callbacks<ConnectionListener> onDisconnect() {
        return link.onDisconnect();
    }

    @Override
    public Callbacks<ReceiveListener> onReceive() {
        return link.onReceive();
    }

    @Override
    public Callbacks<ConnectionListener> onReadyToSend() {
        return link.onReadyToSend();
    }

    @Override
    public Callbacks<Runnable> onLoopPass() {
        return link.onLoopPass();
    }

    @Override
    public boolean isWritable(Connection connection) {
        return link.isWritable(connection);
    }

    @Override
    public void setReadPaused(Connection connection, boolean paused) {
        link.setReadPaused(connection, paused);
    }

    @Override
    public void disconnect(Connection connection) {
        link.disconnect(connection);
    }

    @Override
    public ByteBufAllocator allocator() {
        return link.allocator();
    }

    @Override
    public void execute(Runnable task) {
        link.execute(task);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return link.schedule(task, delay);
    }

    @Override
    public boolean inLoop() {
        return link.inLoop();
    }
}
