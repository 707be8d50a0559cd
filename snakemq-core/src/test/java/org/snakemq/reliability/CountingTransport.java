package org.snakemq.reliability;

import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;

import org.snakemq.link.Connection;
import org.snakemq.link.ForwardingTransport;
import org.snakemq.link.Transport;
import org.snakemq.link.WriteListener;

/**
 * A {@link Transport} in front of a link that counts the MESSAGE frames handed to the socket. The
 * packeter only ever passes whole packets to {@code send}, so walking the length prefixes is exact.
 */
final class CountingTransport extends ForwardingTransport {

    private final AtomicLong messagesWritten = new AtomicLong();
    private volatile Runnable afterWrite = () -> { };

    CountingTransport(Transport link) {
        super(link);
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
        super.send(connection, data, listener);
        afterWrite.run();
    }
}
