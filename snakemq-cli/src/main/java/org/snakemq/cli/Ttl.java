package org.snakemq.cli;

import java.math.BigDecimal;
import java.time.Duration;

/** A {@code --ttl} value: whole or fractional seconds, or {@code inf} (never expires: {@code value} null). */
record Ttl(Duration value) {

    static final Ttl INFINITE = new Ttl(null);

    static Ttl parse(String text) {
        if (text.equalsIgnoreCase("inf")) {
            return INFINITE;
        }
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is neither seconds nor inf");
        }
        if (seconds.signum() < 0) {
            throw new IllegalArgumentException("'" + text + "': a TTL cannot be negative");
        }
        if (seconds.compareTo(BigDecimal.valueOf(0xFFFFFFFEL)) > 0) {
            throw new IllegalArgumentException("'" + text + "': at most 4294967294 seconds; use inf for no limit");
        }
        return new Ttl(Duration.ofNanos(seconds.movePointRight(9).longValue()));
    }

    boolean isZero() {
        return value != null && value.isZero();
    }

    @Override
    public String toString() {
        return value == null ? "inf" : value.toString();
    }
}
