package org.snakemq.link;

import java.util.function.LongSupplier;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;

/**
 * Lets the loop thread keep polling its sockets for a while after it ran out of work, before it
 * blocks in the selector, and adapts that while to the traffic.
 *
 * <p>Why: a blocked thread is woken through the kernel, and on virtual machines whose idle CPUs halt
 * that costs tens of microseconds per wake-up (the guest's own halt polling is often switched off).
 * A request/reply exchange wakes threads several times per round trip, so those wake-ups dominate
 * its latency. A loop that is still polling when the next packet or task arrives skips them.
 *
 * <p>The window follows the rule of the Linux guest halt-poll governor, applied to each idle gap
 * (from running out of work to the next packet, task or timer): a gap that polling missed but that
 * was within the limit doubles the window; a gap longer than the limit halves it, down to zero.
 * Sparse traffic therefore costs no polling, while a steady exchange keeps the window open. Each
 * poll turn yields the CPU, so a runnable thread sharing it is not held up.
 *
 * <p>Polling pays only while a CPU is free to poll. When a yield comes back late ({@value
 * #CONTENDED_YIELD_NANOS} ns or more), another thread had work for this CPU: the CPUs are all taken
 * (the application's sender, the other loop of a process pair, other processes), and a loop that
 * keeps polling takes their time and delays the very messages it waits for, and its yield may itself
 * have handed the CPU away for a whole time slice. The window then closes at once, the loop blocks,
 * and the window stays shut for a pause ({@value #FIRST_PAUSE_NANOS} ns, doubling with each such
 * yield up to {@value #MAX_PAUSE_NANOS} ns, halving with each gap that polling then catches): on a
 * machine that stays busy, polling mostly stays off instead of costing a late yield every few
 * messages. After the pause it opens again as the rule above says.
 *
 * <p>Loop thread only; one instance per loop.
 */
final class AdaptiveSpin implements SelectStrategy {

    /** First window after a short wait: long enough to catch a reply on loopback. */
    static final long GROW_START_NANOS = 20_000;
    /** A yield that returns this late gave the CPU to a thread that had work. */
    static final long CONTENDED_YIELD_NANOS = 50_000;
    /** The first pause of polling after a late yield. */
    static final long FIRST_PAUSE_NANOS = 10_000_000;
    /** The longest pause of polling after late yields in a row. */
    static final long MAX_PAUSE_NANOS = 1_000_000_000;

    private final long limitNanos;
    private final LongSupplier clock;
    private final Runnable yield;
    private long windowNanos;
    /** When the loop last ran out of work; 0 while it has work. */
    private long idleSince;
    private boolean blocked;
    /** Set by the link when a wake-up brought bytes or a task, as opposed to a timer. */
    private boolean workSeen;
    /** The next pause after a late yield. */
    private long pauseNanos = FIRST_PAUSE_NANOS;
    /** True from a late yield until {@link #pausedUntil}: the window does not grow. */
    private boolean paused;
    private long pausedUntil;

    AdaptiveSpin(long limitNanos) {
        this(limitNanos, System::nanoTime, Thread::yield);
    }

    /** With a clock and a yield of one's own; for tests. */
    AdaptiveSpin(long limitNanos, LongSupplier clock, Runnable yield) {
        if (limitNanos <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
        this.limitNanos = limitNanos;
        this.clock = clock;
        this.yield = yield;
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        int ready = selectNow.get();
        long now = clock.getAsLong();
        if (ready > 0 || hasTasks || workSeen) {
            if (paused && now - pausedUntil >= 0) {
                paused = false;
            }
            if (idleSince != 0 && blocked) {
                adapt(now - idleSince);
            } else if (idleSince != 0) {
                pauseNanos = Math.max(FIRST_PAUSE_NANOS, pauseNanos / 2); // polling caught this gap
            }
            idleSince = 0;
            blocked = false;
            workSeen = false;
            return ready;
        }
        if (idleSince == 0) {
            idleSince = now;
        }
        if (now - idleSince < windowNanos) {
            yield.run();
            long back = clock.getAsLong();
            if (back - now < CONTENDED_YIELD_NANOS) {
                return SelectStrategy.CONTINUE;
            }
            pause(back); // the CPUs are taken: stop polling
        }
        blocked = true;
        return SelectStrategy.SELECT;
    }

    /**
     * Marks traffic: the selector's own wake-ups do not tell bytes and tasks from timers, and only
     * traffic may end an idle gap. Loop thread.
     */
    void noteWork() {
        workSeen = true;
    }

    /** The window in effect now; for tests. */
    long windowNanos() {
        return windowNanos;
    }

    private void pause(long now) {
        windowNanos = 0;
        paused = true;
        pausedUntil = now + pauseNanos;
        pauseNanos = Math.min(MAX_PAUSE_NANOS, pauseNanos * 2);
    }

    /** Whether a late yield shut the window and its pause has not yet ended; for tests. */
    boolean paused() {
        return paused;
    }

    /** @param gap how long the loop had no work before it blocked and was woken */
    void adapt(long gap) {
        if (paused) {
            return;
        }
        if (gap <= limitNanos) {
            windowNanos = Math.min(limitNanos, Math.max(GROW_START_NANOS, windowNanos * 2));
        } else {
            windowNanos = windowNanos / 2 < GROW_START_NANOS ? 0 : windowNanos / 2;
        }
    }
}
