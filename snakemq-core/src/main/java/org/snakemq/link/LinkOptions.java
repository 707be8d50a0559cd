package org.snakemq.link;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link Link}. Immutable; start from {@link #defaults()} and change what you need.
 *
 * @param reconnectInterval  the first wait before a connector dials again after a failure or a break; later
 *                           waits grow as {@link ReconnectBackoff#startingAt} says
 * @param connectTimeout     how long one connection attempt may take
 * @param pollInterval       how often the loop makes a pass when nothing wakes it (loop-pass callbacks)
 * @param writeBufferLow     a connection becomes writable again below this many queued bytes
 * @param writeBufferHigh    a connection stops being writable above this many queued bytes
 * @param spinLimit          the longest the loop thread keeps polling, after it ran out of work, before
 *                           it blocks; the actual time adapts to the traffic, and sparse traffic gets
 *                           none. It trades CPU time for latency: on virtual machines a blocked thread
 *                           takes tens of microseconds to wake. {@link Duration#ZERO} turns it off.
 * @param nativeTransport    use Netty's epoll transport when it is on the class path and loads (Linux,
 *                           {@code io.netty:netty-transport-native-epoll} with the platform's classifier);
 *                           Java NIO otherwise. Epoll spends less time in the kernel per read and write.
 */
public record LinkOptions(Duration reconnectInterval, Duration connectTimeout, Duration pollInterval,
                          int writeBufferLow, int writeBufferHigh, Duration spinLimit, boolean nativeTransport) {

    public LinkOptions {
        Objects.requireNonNull(reconnectInterval, "reconnectInterval");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(spinLimit, "spinLimit");
        if (pollInterval.isZero() || pollInterval.isNegative()) {
            throw new IllegalArgumentException("pollInterval must be positive");
        }
        if (writeBufferLow <= 0 || writeBufferHigh < writeBufferLow) {
            throw new IllegalArgumentException("need 0 < writeBufferLow <= writeBufferHigh");
        }
        if (spinLimit.isNegative() || spinLimit.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("spinLimit must be between 0 and 1 s, not " + spinLimit);
        }
    }

    /**
     * Reconnect every 3 s (as the original), connect timeout 10 s, poll every 200 ms, 512 KiB / 2 MiB
     * buffers, spin limit 500 µs, the native transport where available.
     */
    public static LinkOptions defaults() {
        return new LinkOptions(Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofMillis(200),
                512 * 1024, 2 * 1024 * 1024, Duration.ofNanos(500_000), true);
    }

    public LinkOptions withReconnectInterval(Duration value) {
        return new LinkOptions(value, connectTimeout, pollInterval, writeBufferLow, writeBufferHigh, spinLimit,
                nativeTransport);
    }

    public LinkOptions withConnectTimeout(Duration value) {
        return new LinkOptions(reconnectInterval, value, pollInterval, writeBufferLow, writeBufferHigh, spinLimit,
                nativeTransport);
    }

    public LinkOptions withPollInterval(Duration value) {
        return new LinkOptions(reconnectInterval, connectTimeout, value, writeBufferLow, writeBufferHigh, spinLimit,
                nativeTransport);
    }

    public LinkOptions withWriteBuffer(int low, int high) {
        return new LinkOptions(reconnectInterval, connectTimeout, pollInterval, low, high, spinLimit,
                nativeTransport);
    }

    /** The longest idle poll before blocking; {@link Duration#ZERO} blocks at once, as a plain Netty loop does. */
    public LinkOptions withSpinLimit(Duration value) {
        return new LinkOptions(reconnectInterval, connectTimeout, pollInterval, writeBufferLow, writeBufferHigh, value,
                nativeTransport);
    }

    /** Whether to use the epoll transport where available; false always uses Java NIO. */
    public LinkOptions withNativeTransport(boolean value) {
        return new LinkOptions(reconnectInterval, connectTimeout, pollInterval, writeBufferLow, writeBufferHigh,
                spinLimit, value);
    }
}
