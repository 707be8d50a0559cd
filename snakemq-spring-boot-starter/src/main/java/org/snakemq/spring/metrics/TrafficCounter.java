package org.snakemq.spring.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes that went between the link and the layers above it, counted by a {@link CountingTransport}.
 * Thread-safe.
 */
public final class TrafficCounter {

    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();

    /** Bytes read from connections. */
    public long bytesReceived() {
        return received.sum();
    }

    /** Bytes handed to the link for sending (queued for the socket). */
    public long bytesSent() {
        return sent.sum();
    }

    void received(int bytes) {
        received.add(bytes);
    }

    void sent(int bytes) {
        sent.add(bytes);
    }
}
