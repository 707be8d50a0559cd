package org.snakemq.messaging;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The FIFO queue of one destination identity, with the original's TTL rule: a message's TTL counts
 * down only while the destination is disconnected. Loop thread only.
 *
 * <p>Time base: while disconnected, each TTL is kept relative to the moment of disconnection, so a
 * message pushed later is credited the time that had already passed and loses only the time it
 * spent waiting itself.
 *
 * <p>While the destination is away, a transient message without a TTL waits {@linkplain
 * Envelope#packed packed} into one array (messages for an absent peer can pile up by the million);
 * {@link #poll} turns it back into an envelope. Messages that are stored or have a TTL stay
 * envelopes, so TTL accounting and the storage see the same objects as before; the order is the
 * deque's either way.
 */
final class OutQueue {

    final String destination;
    /** An {@link Envelope}, or a {@code byte[]} from {@link Envelope#packed}. */
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    /** Messages of this queue sent on the current connection and not yet confirmed. */
    int inFlight;
    private boolean connected;
    private long disconnectedAtMillis;
    /** The smallest TTL among pending messages (relative to the time base); MAX_VALUE when none. */
    private long minTtlMillis = Long.MAX_VALUE;

    OutQueue(String destination, long nowMillis) {
        this.destination = destination;
        this.disconnectedAtMillis = nowMillis;
    }

    /**
     * Appends a message.
     *
     * @return false when it was discarded: TTL 0 while disconnected
     */
    boolean push(Envelope envelope, long nowMillis) {
        if (!connected && envelope.hasTtl()) {
            if (envelope.ttlMillis == 0) {
                return false;
            }
            envelope.ttlMillis += nowMillis - disconnectedAtMillis;
        }
        pending.addLast(!connected && envelope.packable() ? envelope.packed() : envelope);
        if (envelope.hasTtl()) {
            minTtlMillis = Math.min(minTtlMillis, envelope.ttlMillis);
        }
        return true;
    }

    /** The next message to send, or null. */
    Envelope poll() {
        Object head = pending.pollFirst();
        return head instanceof byte[] packed ? Envelope.unpacked(destination, packed) : (Envelope) head;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Pending plus in-flight messages. */
    int size() {
        return pending.size() + inFlight;
    }

    boolean isConnected() {
        return connected;
    }

    /** Puts back a message that could not be handed to the packeter. */
    void pushFront(Envelope envelope) {
        pending.addFirst(envelope);
    }

    /** Puts messages that were sent but not confirmed back in front, in their original order. */
    void requeueFront(List<Envelope> inOrder) {
        inFlight = Math.max(0, inFlight - inOrder.size());
        for (int i = inOrder.size() - 1; i >= 0; i--) {
            pending.addFirst(inOrder.get(i));
        }
    }

    /**
     * The destination connected: every message loses the time since the disconnection; those whose
     * TTL fell below zero are removed and handed to {@code dropped}. Returns the messages whose TTL
     * changed and that are stored, so the storage can be told.
     */
    List<Envelope> connect(long nowMillis, Consumer<Envelope> dropped) {
        connected = true;
        long elapsed = nowMillis - disconnectedAtMillis;
        List<Envelope> changed = new ArrayList<>();
        if (minTtlMillis == Long.MAX_VALUE) {
            return changed;
        }
        for (Iterator<Object> it = pending.iterator(); it.hasNext(); ) {
            if (!(it.next() instanceof Envelope envelope) || !envelope.hasTtl()) {
                continue;
            }
            envelope.ttlMillis -= elapsed;
            if (envelope.ttlMillis < 0) {
                it.remove();
                dropped.accept(envelope);
            } else if (envelope.isStored() && elapsed > 0) {
                changed.add(envelope);
            }
        }
        recomputeMinTtl();
        return changed;
    }

    /**
     * The destination went away: TTLs count down from now, and what waits is packed (in place, in
     * order) as if it had been pushed now.
     */
    void disconnect(long nowMillis) {
        connected = false;
        disconnectedAtMillis = nowMillis;
        for (int i = pending.size(); i > 0; i--) {
            Object head = pending.pollFirst();
            pending.addLast(head instanceof Envelope envelope && envelope.packable() ? envelope.packed() : head);
        }
    }

    /** While disconnected, removes messages whose TTL ran out and hands them to {@code dropped}. */
    void expire(long nowMillis, Consumer<Envelope> dropped) {
        long elapsed = nowMillis - disconnectedAtMillis;
        if (connected || minTtlMillis >= elapsed) {
            return;
        }
        for (Iterator<Object> it = pending.iterator(); it.hasNext(); ) {
            if (it.next() instanceof Envelope envelope && envelope.hasTtl() && envelope.ttlMillis < elapsed) {
                it.remove();
                dropped.accept(envelope);
            }
        }
        recomputeMinTtl();
    }

    private void recomputeMinTtl() {
        long min = Long.MAX_VALUE;
        for (Object waiting : pending) {
            if (waiting instanceof Envelope envelope && envelope.hasTtl() && envelope.ttlMillis < min) {
                min = envelope.ttlMillis;
            }
        }
        minTtlMillis = min;
    }
}
