package org.snakemq.spring.metrics;

import java.util.Objects;

import io.netty.buffer.ByteBuf;
import org.slf4j.LoggerFactory;

import org.snakemq.callback.Callbacks;
import org.snakemq.link.Connection;
import org.snakemq.link.ForwardingTransport;
import org.snakemq.link.ReceiveListener;
import org.snakemq.link.Transport;
import org.snakemq.link.TransportCallbacks;
import org.snakemq.link.WriteListener;

/**
 * A {@link Transport} that passes everything through to another one and counts the bytes in each
 * direction. It sits directly on the link, so the counts are bytes on the wire (before TLS).
 *
 * <p>Threads: as the transport it wraps; received bytes are counted on the loop thread, sent bytes
 * on the thread that sends.
 */
public final class CountingTransport extends ForwardingTransport {

    private final TrafficCounter counter;
    /** The transport's lists, but its own for the received bytes, which it counts before passing them on. */
    private final TransportCallbacks callbacks;

    public CountingTransport(Transport delegate, TrafficCounter counter) {
        super(delegate);
        this.counter = Objects.requireNonNull(counter, "counter");
        Callbacks<ReceiveListener> onReceive = new Callbacks<>("on_recv", LoggerFactory.getLogger("snakemq.link"));
        this.callbacks = delegate.callbacks().withOnReceive(onReceive);
        delegate.onReceive().add((connection, data) -> {
            counter.received(data.readableBytes());
            onReceive.fire(l -> l.onReceive(connection, data));
        });
    }

    @Override
    public TransportCallbacks callbacks() {
        return callbacks;
    }

    @Override
    public void send(Connection connection, ByteBuf data, WriteListener listener) {
        counter.sent(data.readableBytes());
        super.send(connection, data, listener);
    }
}
