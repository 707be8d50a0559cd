package org.snakemq.link;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The state of one connector's back-off: how many retries in a row failed, and since when the
 * current connection is up. Time and randomness come from outside, so it is tested without a clock.
 * Loop thread only.
 */
final class ReconnectSchedule {

    private final ReconnectBackoff backoff;
    private final DoubleSupplier random;
    private int retries;
    /** When the current connection came up; {@code Long.MIN_VALUE} while none is up. */
    private long upSinceNanos = Long.MIN_VALUE;

    ReconnectSchedule(ReconnectBackoff backoff, DoubleSupplier random) {
        this.backoff = backoff;
        this.random = random;
    }

    ReconnectBackoff backoff() {
        return backoff;
    }

    /** Retries in a row that found no lasting connection. */
    int retries() {
        return retries;
    }

    /** A connection came up. */
    void connected(long nowNanos) {
        upSinceNanos = nowNanos;
    }

    /** An attempt failed or a connection closed: the wait before the next attempt. */
    Duration nextDelay(long nowNanos) {
        if (upSinceNanos != Long.MIN_VALUE && nowNanos - upSinceNanos >= backoff.initial().toNanos()) {
            retries = 0; // the connection lasted: start the back-off again
        }
        upSinceNanos = Long.MIN_VALUE;
        Duration delay = backoff.delay(retries, random.getAsDouble());
        if (retries < Integer.MAX_VALUE) {
            retries++;
        }
        return delay;
    }
}
