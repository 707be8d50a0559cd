package org.snakemq.throttle;

/**
 * Bytes allowed per second with a bounded burst. Time comes from the caller ({@link System#nanoTime}),
 * so the long-run rate is exact however late the timers fire. Not thread-safe.
 */
final class TokenBucket {

    private final double tokensPerNano;
    private final long capacity;
    private double tokens;
    private long last;

    /**
     * @param bytesPerSecond refill rate
     * @param capacity       most tokens ever held: the largest burst
     * @param initial        tokens at the start
     */
    TokenBucket(long bytesPerSecond, long capacity, long initial, long now) {
        this.tokensPerNano = bytesPerSecond / 1e9;
        this.capacity = capacity;
        this.tokens = Math.min(initial, capacity);
        this.last = now;
    }

    /** Takes {@code n} tokens if there are that many. */
    boolean tryTake(long n, long now) {
        refill(now);
        if (tokens >= n) {
            tokens -= n;
            return true;
        }
        return false;
    }

    /** Nanoseconds until {@code n} tokens are there (0 if they are now). */
    long nanosUntil(long n, long now) {
        refill(now);
        return tokens >= n ? 0 : (long) Math.ceil((n - tokens) / tokensPerNano);
    }

    private void refill(long now) {
        if (now > last) {
            tokens = Math.min(capacity, tokens + (now - last) * tokensPerNano);
            last = now;
        }
    }
}
