package org.snakemq.internal;

import java.time.Duration;

/**
 * Internal, not part of the API: at most so many log lines per time window, so that a peer that
 * provokes a warning thousands of times a second (refused connections, refused calls) cannot flood the
 * log. The first line of a window reports how many were left out in the windows before. Thread-safe.
 */
public final class LogBudget {

    private final int linesPerWindow;
    private final long windowNanos;
    private long windowStart;
    private int used;
    private long suppressed;

    public LogBudget(int linesPerWindow, Duration window) {
        if (linesPerWindow < 1 || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("need at least one line per positive window");
        }
        this.linesPerWindow = linesPerWindow;
        this.windowNanos = window.toNanos();
        this.windowStart = System.nanoTime() - windowNanos;
    }

    /**
     * @return -1 when this line must not be logged; otherwise how many lines were left out since the
     *         last one logged (0 usually)
     */
    public synchronized long tryAcquire() {
        long now = System.nanoTime();
        if (now - windowStart >= windowNanos) {
            windowStart = now;
            used = 0;
        }
        if (used >= linesPerWindow) {
            suppressed++;
            return -1;
        }
        used++;
        long left = suppressed;
        suppressed = 0;
        return left;
    }

    /** " (N similar lines not logged)" for a positive count from {@link #tryAcquire()}, else "". */
    public static String suffix(long suppressed) {
        return suppressed > 0 ? " (" + suppressed + " similar lines not logged)" : "";
    }
}
