package org.snakemq.link;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a connector waits before it dials again: jittered, capped exponential back-off. The
 * wait before retry number {@code n} (0 for the first retry after a connection was lost or an
 * attempt failed) is
 * Immutable and thread-safe.
 *
 * <pre>
 *   base(n) = min(max, initial * multiplier^n)
 *   wait(n) = min(max, base(n) * (1 + jitter * u))      u uniform in [0, 1)
 * </pre>
 *
 * so no wait is ever shorter than {@code initial} (a peer never retries faster than its interval)
 * nor longer than {@code max}, and peers that lost one listener at the same moment spread their
 * retries over {@code jitter * base(n)} instead of all dialling at once. The count of retries starts
 * again at 0 once a connection has stayed up for at least {@code initial}; a connection that the
 * other side accepts and closes at once (a listener that is stopping, or refuses peers over a limit)
 * keeps the back-off growing.
 *
 * @param initial    the first wait; a link's default is {@link LinkOptions#reconnectInterval()} (3 s)
 * @param multiplier how much each further failure lengthens the wait, at least 1 (1 = a fixed interval)
 * @param max        the longest wait, at least {@code initial}
 * @param jitter     the random lengthening of each wait as a fraction of it, 0 to 1
 */
public record ReconnectBackoff(Duration initial, double multiplier, Duration max, double jitter) {

    /** Default multiplier: each failure doubles the wait. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** Default cap, as a multiple of the initial wait (3 s -> 30 s). */
    public static final int DEFAULT_MAX_FACTOR = 10;
    /** Default jitter: each wait is lengthened by up to a fifth. */
    public static final double DEFAULT_JITTER = 0.2;

    public ReconnectBackoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial wait must be positive, not " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max wait " + max + " is shorter than the initial " + initial);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be at least 1, not " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, not " + jitter);
        }
    }

    /**
     * The default back-off from a first wait: doubling, capped at {@value #DEFAULT_MAX_FACTOR} times
     * the first wait, each wait lengthened by up to {@value #DEFAULT_JITTER} of itself.
     */
    public static ReconnectBackoff startingAt(Duration initial) {
        Objects.requireNonNull(initial, "initial");
        return new ReconnectBackoff(initial, DEFAULT_MULTIPLIER, multiply(initial, DEFAULT_MAX_FACTOR), DEFAULT_JITTER);
    }

    /** Always the same wait, with no jitter: how connectors behaved before back-off. */
    public static ReconnectBackoff fixed(Duration interval) {
        return new ReconnectBackoff(interval, 1.0, interval, 0.0);
    }

    public ReconnectBackoff withMultiplier(double value) {
        return new ReconnectBackoff(initial, value, max, jitter);
    }

    public ReconnectBackoff withMax(Duration value) {
        return new ReconnectBackoff(initial, multiplier, value, jitter);
    }

    public ReconnectBackoff withJitter(double value) {
        return new ReconnectBackoff(initial, multiplier, max, value);
    }

    /**
     * The wait before retry number {@code retry} (from 0).
     *
     * @param random a value in [0, 1), drawn afresh for each wait
     */
    public Duration delay(int retry, double random) {
        if (retry < 0) {
            throw new IllegalArgumentException("retry must not be negative");
        }
        double u = Math.min(Math.max(random, 0.0), 1.0);
        double initialNanos = initial.toNanos();
        double maxNanos = max.toNanos();
        double base = Math.min(maxNanos, initialNanos * Math.pow(multiplier, retry));
        double wait = Math.min(maxNanos, base * (1.0 + jitter * u));
        return Duration.ofNanos(Math.max(initial.toNanos(), (long) wait));
    }

    private static Duration multiply(Duration d, int factor) {
        try {
            return d.multipliedBy(factor);
        } catch (ArithmeticException e) {
            return d;
        }
    }
}
