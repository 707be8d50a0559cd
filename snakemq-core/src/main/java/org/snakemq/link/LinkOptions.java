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
 *                           it blocks; the actual time adapts to the traffic, sparse traffic gets
 *                           none, and it stops while the CPUs are all taken. It trades CPU time for
 *                           latency: on virtual machines a blocked thread takes tens of microseconds
 *                           to wake. {@link Duration#ZERO} turns it off.
 * @param nativeTransport    use Netty's epoll transport when it is on the class path and loads (Linux,
 *                           {@code io.netty:netty-transport-native-epoll} with the platform's classifier);
 *                           Java NIO otherwise. Epoll spends less time in the kernel per read and write.
 * @param maxConnections     the most connections one listener holds open at once, counted from the
 *                           moment they are accepted (before any TLS handshake or identification); a
 *                           connection beyond it is closed at once, counted ({@link Link#refusedConnections()})
 *                           and logged
 * @param maxConnectionsPerAddress the most connections one listener holds open at once from one remote
 *                           IP address, refused the same way
 */
public record LinkOptions(Duration reconnectInterval, Duration connectTimeout, Duration pollInterval,
                          int writeBufferLow, int writeBufferHigh, Duration spinLimit, boolean nativeTransport,
                          int maxConnections, int maxConnectionsPerAddress) {

    /** Default {@link #maxConnections()}: room for a hub of 10,000 peers. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Default {@link #maxConnectionsPerAddress()}: many peers behind one NAT, not one host taking every slot. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1_000;

    /** The options without connection limits' arguments, with their defaults. */
    public LinkOptions(Duration reconnectInterval, Duration connectTimeout, Duration pollInterval,
                       int writeBufferLow, int writeBufferHigh, Duration spinLimit, boolean nativeTransport) {
        this(reconnectInterval, connectTimeout, pollInterval, writeBufferLow, writeBufferHigh, spinLimit,
                nativeTransport, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
    }

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
        if (maxConnections < 1 || maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("maxConnections and maxConnectionsPerAddress must be at least 1, not "
                    + maxConnections + " and " + maxConnectionsPerAddress);
        }
    }

    /**
     * Reconnect every 3 s (as the original), connect timeout 10 s, poll every 200 ms, 512 KiB / 2 MiB
     * buffers, spin limit 500 µs, the native transport where available, at most 10,000 connections per
     * listener and 1,000 from one address.
     */
    public static LinkOptions defaults() {
        return new LinkOptions(Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofMillis(200),
                512 * 1024, 2 * 1024 * 1024, Duration.ofNanos(500_000), true, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
    }

    public LinkOptions withReconnectInterval(Duration value) {
        return new LinkOptions(value, connectTimeout, pollInterval, writeBufferLow, writeBufferHigh, spinLimit,
                nativeTransport, maxConnections, maxConnectionsPerAddress);
    }

    public LinkOptions withConnectTimeout(Duration value) {
        return new LinkOptions(reconnectInterval, value, pollInterval, writeBufferLow, writeBufferHigh, spinLimit,
                nativeTransport, maxConnections, maxConnectionsPerAddress);
    }

    public LinkOptions withPollInterval(Duration value) {
        return new LinkOptions(reconnectInterval, connectTimeout, value, writeBufferLow, writeBufferHigh, spinLimit,
                nativeTransport, maxConnections, maxConnectionsPerAddress);
    }

    public LinkOptions withWriteBuffer(int low, int high) {
        return new LinkOptions(reconnectInterval, connectTimeout, pollInterval, low, high, spinLimit,
                nativeTransport, maxConnections, maxConnectionsPerAddress);
    }

    /** The longest idle poll before blocking; {@link Duration#ZERO} blocks at once, as a plain Netty loop does. */
    public LinkOptions withSpinLimit(Duration value) {
        return new LinkOptions(reconnectInterval, connectTimeout, pollInterval, writeBufferLow, writeBufferHigh, value,
                nativeTransport, maxConnections, maxConnectionsPerAddress);
    }

    /** Whether to use the epoll transport where available; false always uses Java NIO. */
    public LinkOptions withNativeTransport(boolean value) {
        return new LinkOptions(reconnectInterval, connectTimeout, pollInterval, writeBufferLow, writeBufferHigh,
                spinLimit, value, maxConnections, maxConnectionsPerAddress);
    }

    /**
     * The most connections one listener holds open at once, in all and from one remote IP address.
     * Connections beyond either are closed as soon as they are accepted.
     */
    public LinkOptions withMaxConnections(int total, int perAddress) {
        return new LinkOptions(reconnectInterval, connectTimeout, pollInterval, writeBufferLow, writeBufferHigh,
                spinLimit, nativeTransport, total, perAddress);
    }
}
