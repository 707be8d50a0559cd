package org.snakemq.sample;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the peers of this JVM did, in order: messages received, peers connected and disconnected, RPC
 * results, signals served, and the demo's own steps. The demo waits on it to pace its steps, and its
 * test reads it. Keeps the last {@value #CAPACITY} entries, so a peer that runs for days does not grow.
 *
 * <p>Threads: written from the link loop threads, RPC worker threads and the demo thread; any thread
 * may read it.
 */
public final class Journal {

    static final int CAPACITY = 10_000;

    /** What happened. */
    public enum Kind {
        /** The demo (or a peer) sent a message; {@code other} is the destination. */
        SENT,
        /** A message arrived; {@code other} is the sender. */
        RECEIVED,
        /** A peer identified itself on a connection. */
        CONNECTED,
        /** An identified peer went away. */
        DISCONNECTED,
        /** A queued message was dropped undelivered; {@code other} is the destination. */
        DROPPED,
        /** An RPC call through a {@code @SnakeRpcClient} proxy returned; {@code text} is "method = result". */
        RPC_RESULT,
        /** A served object received a signal; {@code text} is its argument. */
        SIGNAL,
        /** A step of the demo. */
        STEP
    }

    /**
     * One thing that happened.
     *
     * @param seq   position in the journal, from 0
     * @param peer  the identity of the peer it happened to ("demo" for the demo's steps)
     * @param kind  what happened
     * @param other the other peer involved, empty when none
     * @param text  message text, result or description
     */
    public record Entry(long seq, String peer, Kind kind, String other, String text) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private long next;

    /** Adds an entry and wakes whoever waits for one. */
    public void add(String peer, Kind kind, String other, String text) {
        synchronized (entries) {
            if (entries.size() == CAPACITY) {
                entries.removeFirst();
            }
            entries.addLast(new Entry(next++, peer, kind, other == null ? "" : other, text == null ? "" : text));
            entries.notifyAll();
        }
    }

    /** A copy of the entries, oldest first. */
    public List<Entry> entries() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    /** The position the next entry will get: pass it to {@link #await} to wait only for newer ones. */
    public long mark() {
        synchronized (entries) {
            return next;
        }
    }

    /**
     * Waits until an entry at position {@code since} or later matches, at most {@code timeout}.
     *
     * @return the first matching entry, empty when none came in time (or the thread was interrupted)
     */
    public Optional<Entry> await(long since, Predicate<Entry> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (entries) {
            while (true) {
                for (Entry entry : entries) {
                    if (entry.seq() >= since && condition.test(entry)) {
                        return Optional.of(entry);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                try {
                    entries.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
    }

    /** Matches entries of one peer and kind. */
    public static Predicate<Entry> of(String peer, Kind kind) {
        return entry -> entry.peer().equals(peer) && entry.kind() == kind;
    }

    /** Matches entries of one peer and kind involving {@code other}. */
    public static Predicate<Entry> of(String peer, Kind kind, String other) {
        return of(peer, kind).and(entry -> entry.other().equals(other));
    }
}
