package org.snakemq.messaging;

/**
 * Which MESSAGE frames of one connection are done, by their sequence number on the connection
 * (1, 2, 3, ...), when completions arrive out of order: the base is the highest sequence up to which
 * every message is done, the number a cumulative acknowledgement (ACK_UPTO) may name. Keeps the id of
 * every sequence above the base, in a ring that grows with the spread between the oldest pending and
 * the newest message. Loop thread only.
 */
final class CompletedSequences {

    private long base;
    private long highHeld;
    private long lowHeld;
    /** Per ring slot: done flag, and the message id as two longs. */
    private boolean[] done = new boolean[64];
    private long[] ids = new long[128];

    /** Every message up to this sequence is done. */
    long base() {
        return base;
    }

    /** The id of the message at {@link #base()}; valid once the base is above 0. */
    long baseHigh() {
        return highHeld;
    }

    long baseLow() {
        return lowHeld;
    }

    /** Records the id of a message as it arrives; sequences arrive in order. */
    void received(long sequence, long high, long low) {
        if (sequence - base > done.length) {
            grow(sequence - base);
        }
        int slot = slot(sequence);
        done[slot] = false;
        ids[slot * 2] = high;
        ids[slot * 2 + 1] = low;
    }

    /**
     * Marks a message done.
     *
     * @return true when the base moved
     */
    boolean complete(long sequence) {
        if (sequence <= base) {
            return false;
        }
        done[slot(sequence)] = true;
        boolean moved = false;
        while (done[slot(base + 1)]) {
            int slot = slot(base + 1);
            done[slot] = false;
            highHeld = ids[slot * 2];
            lowHeld = ids[slot * 2 + 1];
            base++;
            moved = true;
        }
        return moved;
    }

    private int slot(long sequence) {
        return (int) (sequence & (done.length - 1));
    }

    private void grow(long spread) {
        int size = done.length;
        while (size < spread) {
            size *= 2;
        }
        boolean[] newDone = new boolean[size];
        long[] newIds = new long[size * 2];
        for (long s = base + 1; s < base + done.length + 1; s++) {
            int from = slot(s);
            int to = (int) (s & (size - 1));
            newDone[to] = done[from];
            newIds[to * 2] = ids[from * 2];
            newIds[to * 2 + 1] = ids[from * 2 + 1];
        }
        done = newDone;
        ids = newIds;
    }

    @Override
    public String toString() {
        return "CompletedSequences[base=" + base + ", ring=" + done.length + "]";
    }
}
