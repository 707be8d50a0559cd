package org.snakemq.messaging;

import java.util.Arrays;

/**
 * Message ids recently delivered from one peer, for duplicate suppression. Two generations: new ids
 * go into the current one; when it holds {@code capacity} ids it becomes the previous one and the old
 * previous one is cleared for reuse. So at least the last {@code capacity} ids (and at most twice
 * that) are remembered, with no per-id eviction work and no boxing.
 *
 * <p>A generation keeps the ids themselves in arrival order and indexes them with an open-addressing
 * table of 4-byte slots (the arrival position, and in the bits it leaves free a fingerprint of the
 * id). A new id, the common case,
 * is decided from the two tables alone, which at the default capacity are small enough to stay in
 * the CPU cache; the ids are read only when a fingerprint matches. A retired generation is first
 * asked through a Bloom filter of 16 bits per id (two bits set in one word), so a new id usually
 * costs one table probe, in the current generation, instead of two.
 *
 * <p>Memory follows the traffic: a peer that has sent nothing holds no tables at all (an identified
 * but idle connection costs the hub this object only), and the current generation starts at
 * {@value #INITIAL_IDS} ids on the first one and doubles as ids arrive, up to {@code capacity}. Only
 * the first retirement allocates a generation of the full capacity; later ones reuse the retired
 * one. Growing never forgets an id, so what is remembered is the same as with full-size tables from
 * the start. Loop thread only.
 */
final class RecentIds {

    /** Room of the first table, allocated with the first id; it doubles from there. */
    private static final int INITIAL_IDS = 16;

    /** No ids and no room, shared: stands for both generations until the first id arrives. */
    private static final Generation EMPTY = new Generation(0);

    private final int capacity;
    private Generation current;
    private Generation previous;

    RecentIds(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.current = EMPTY;
        this.previous = EMPTY;
    }

    boolean contains(long high, long low) {
        long mixed = mix(high, low);
        return current.contains(mixed, high, low)
                || previous.mightContain(mixed) && previous.contains(mixed, high, low);
    }

    /**
     * Remembers an id unless it is known already.
     *
     * @return true when the id was new
     */
    boolean addIfAbsent(long high, long low) {
        // retire a full generation first, so the checks below see every id they must
        if (current.size >= capacity) {
            Generation recycled = previous != EMPTY && previous.room() == capacity
                    ? previous : new Generation(capacity);
            recycled.clear();
            previous = current;
            current = recycled;
        } else if (current.size == current.room()) {
            current = current.grown(Math.min(Math.max(INITIAL_IDS, current.room() * 2), capacity));
        }
        long mixed = mix(high, low);
        if (previous.size > 0 && previous.mightContain(mixed) && previous.contains(mixed, high, low)) {
            return false;
        }
        return current.add(mixed, high, low);
    }

    /** Remembers an id that is not {@linkplain #contains known} yet. */
    void add(long high, long low) {
        addIfAbsent(high, low);
    }

    /** How many ids are remembered now (between {@code capacity} and twice that once warmed up). */
    int size() {
        return current.size + previous.size;
    }

    /** How many ids the current generation has room for before it grows or retires (0 before the first id). */
    int room() {
        return current.room();
    }

    private static long mix(long high, long low) {
        long h = (high ^ Long.rotateLeft(low, 29)) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 31);
    }

    /** Up to {@code room} ids in arrival order, indexed by a table with a load factor of at most one half. */
    private static final class Generation {
        /**
         * Per slot: the arrival position + 1 in the low {@code positionBits}, the high bits of the
         * id's hash in the rest; 0 = free. Four bytes a slot keep the table small enough to stay in
         * the cache while received data streams through it.
         */
        private final int[] slots;
        private final long[] ids; // high, low pairs in arrival order
        private final long[] bloom;
        private final int mask;
        private final int fingerprintMask;
        private int size;

        /** Room for {@code room} ids; 0 makes the shared {@link #EMPTY}, which is never added to. */
        Generation(int room) {
            slots = new int[Integer.highestOneBit(Math.max(1, room) * 2 - 1) << 1];
            ids = new long[room * 2];
            bloom = new long[Math.max(1, slots.length / 8)];
            mask = slots.length - 1;
            int positionBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, room));
            fingerprintMask = -1 << positionBits;
        }

        /** False means certainly absent; true means probably present. */
        boolean mightContain(long mixed) {
            long bits = bloomBits(mixed);
            return (bloom[bloomWord(mixed)] & bits) == bits;
        }

        private int bloomWord(long mixed) {
            return (int) (mixed >>> 20) & (bloom.length - 1);
        }

        private static long bloomBits(long mixed) {
            return 1L << (mixed >>> 52) | 1L << (mixed >>> 58);
        }

        int room() {
            return ids.length / 2;
        }

        boolean contains(long mixed, long high, long low) {
            return probe(mixed, high, low) >= 0;
        }

        /** Adds an id with room left; false when it is present already. */
        boolean add(long mixed, long high, long low) {
            int slot = probe(mixed, high, low);
            if (slot >= 0) {
                return false;
            }
            slot = ~slot;
            slots[slot] = ((int) (mixed >>> 32) & fingerprintMask) | (size + 1);
            bloom[bloomWord(mixed)] |= bloomBits(mixed);
            ids[size * 2] = high;
            ids[size * 2 + 1] = low;
            size++;
            return true;
        }

        /** The slot holding the id, or {@code ~slot} of the free slot where it would go. */
        private int probe(long mixed, long high, long low) {
            int fingerprint = (int) (mixed >>> 32) & fingerprintMask;
            int slot = (int) mixed & mask;
            int entry;
            while ((entry = slots[slot]) != 0) {
                if ((entry & fingerprintMask) == fingerprint) {
                    int at = ((entry & ~fingerprintMask) - 1) * 2;
                    if (ids[at] == high && ids[at + 1] == low) {
                        return slot;
                    }
                }
                slot = (slot + 1) & mask;
            }
            return ~slot;
        }

        Generation grown(int room) {
            Generation bigger = new Generation(room);
            for (int i = 0; i < size; i++) {
                long high = ids[i * 2];
                long low = ids[i * 2 + 1];
                bigger.add(mix(high, low), high, low);
            }
            return bigger;
        }

        void clear() {
            Arrays.fill(slots, 0);
            Arrays.fill(bloom, 0L);
            size = 0;
        }
    }

    @Override
    public String toString() {
        return "RecentIds[" + size() + ", at least the last " + capacity + "]";
    }
}
