package org.snakemq.link;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link Link}. Immutable; start from {@link #defaults()} and change what you need.
 *
 * @param reconnectInterval  default wait before a connector dials again after a failure or a break
 * @param connectTimeout     how long one connection attempt may take
 * @param pollInterval       how often the loop makes a pass when nothing wakes it (loop-pass callbacks)
 * @param writeBufferLow     a connection becomes writable again below this many queued bytes
 * @param writeBufferHigh    a connection stops being writable above this many queued bytes
 */
public record LinkOptions(Duration reconnectInterval, Duration connectTimeout, Duration pollInterval,
                          int writeBufferLow, int writeBufferHigh) {

    public LinkOptions {
        Objects.requireNonNull(reconnectInterval, "reconnectInterval");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isZero() || pollInterval.isNegative()) {
            throw new IllegalArgumentException("pollInterval must be positive");
        }
        if (writeBufferLow <= 0 || writeBufferHigh < writeBufferLow) {
            throw new IllegalArgumentException("need 0 < writeBufferLow <= writeBufferHigh");
        }
    }

    /** Reconnect every 3 s (as the original), connect timeout 10 s, poll every 200 ms, 512 KiB / 2 MiB buffers. */
    public static LinkOptions defaults() {
        return new LinkOptions(Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofMillis(200),
                512 * 1024, 2 * 1024 * 1024);
    }

    public LinkOptions withReconnectInterval(Duration value) {
        return new LinkOptions(value, connectTimeout, pollInterval, writeBufferLow, writeBufferHigh);
    }

    public LinkOptions withConnectTimeout(Duration value) {
        return new LinkOptions(reconnectInterval, value, pollInterval, writeBufferLow, writeBufferHigh);
    }

    public LinkOptions withPollInterval(Duration value) {
        return new LinkOptions(reconnectInterval, connectTimeout, value, writeBufferLow, writeBufferHigh);
    }

    public LinkOptions withWriteBuffer(int low, int high) {
        return new LinkOptions(reconnectInterval, connectTimeout, pollInterval, low, high);
    }
}
