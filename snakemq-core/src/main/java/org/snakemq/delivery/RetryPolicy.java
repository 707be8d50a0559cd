package org.snakemq.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how soon a failed delivery is tried again before it goes to the recoverer. The
 * delay after attempt {@code n} is {@code initialDelay * multiplier^(n-1)}, at most {@code maxDelay}.
 * While a message waits for its retry, the sender's later messages wait behind it.
 * Immutable and thread-safe.
 *
 * @param maxAttempts  calls of the handler in all, at least 1 (1 = no retry)
 * @param initialDelay the wait after the first failure
 * @param multiplier   the factor by which each further wait grows, at least 1
 * @param maxDelay     the longest wait
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay) {

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("delays must satisfy 0 <= initialDelay <= maxDelay: " + initialDelay
                    + ", " + maxDelay);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
        }
    }

    /** 3 attempts, waiting 1 s, then 2 s (multiplier 2, at most 10 s). */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10));
    }

    /** One attempt: a failure goes to the recoverer at once. */
    public static RetryPolicy noRetry() {
        return new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO);
    }

    /** The wait after the given failed attempt (1-based). */
    public Duration delayAfter(int attempt) {
        double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
    }
}
