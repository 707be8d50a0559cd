package org.snakemq.messaging;

import java.util.Arrays;

/**
 * Message ids recently delivered from one peer, for duplicate suppression. Two generations of
 * open-addressing tables: new ids go into the current one; when it holds {@code capacity} ids it
 * becomes the previous one and the old previous one is cleared for reuse. So at least the last
 * {@code capacity} ids (and at most twice that) are remembered, with one or two cache-friendly
 * probes per id and no per-id eviction work. No boxing. Loop thread only.
 */
final class RecentIds {

    private static final int INITIAL_SLOTS = 2048;

    private final int capacity;
    private Table current;
    private Table previous;

    RecentIds(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.current = new Table(Math.min(INITIAL_SLOTS, slotsFor(capacity)));
        this.previous = new Table(2);
    }

    boolean contains(long high, long low) {
        return current.contains(high, low) || previous.contains(high, low);
    }

    /**
     * Remembers an id unless it is known already.
     *
     * @return true when the id was new
     */
    boolean addIfAbsent(long high, long low) {
        // retire a full generation first, so the checks below see every id they must
        if (current.size >= capacity) {
            Table recycled = previous.slots() == slotsFor(capacity) ? previous : new Table(slotsFor(capacity));
            recycled.clear();
            previous = current;
            current = recycled;
        } else if (current.size * 2 >= current.slots() && current.slots() < slotsFor(capacity)) {
            current = current.grown(Math.min(current.slots() * 2, slotsFor(capacity)));
        }
        if (previous.size > 0 && previous.contains(high, low)) {
            return false;
        }
        return current.add(high, low);
    }

    /** Remembers an id that is not {@linkplain #contains known} yet. */
    void add(long high, long low) {
        addIfAbsent(high, low);
    }

    /** How many ids are remembered now (between {@code capacity} and twice that once warmed up). */
    int size() {
        return current.size + previous.size;
    }

    /** Table slots for a number of ids at a load factor of at most one half. */
    private static int slotsFor(int ids) {
        return Integer.highestOneBit(Math.max(2, ids) * 2 - 1) << 1;
    }

    /** An open-addressing set of 128-bit ids; the all-zero id is kept in a flag. */
    private static final class Table {
        private final long[] ids; // high, low pairs
        private final int mask;
        private int size;
        private boolean hasZero;

        Table(int slots) {
            ids = new long[slots * 2];
            mask = slots - 1;
        }

        int slots() {
            return mask + 1;
        }

        boolean contains(long high, long low) {
            if ((high | low) == 0) {
                return hasZero;
            }
            int slot = hash(high, low) & mask;
            while (true) {
                long h = ids[slot * 2];
                long l = ids[slot * 2 + 1];
                if ((h | l) == 0) {
                    return false;
                }
                if (h == high && l == low) {
                    return true;
                }
                slot = (slot + 1) & mask;
            }
        }

        boolean add(long high, long low) {
            if ((high | low) == 0) {
                if (hasZero) {
                    return false;
                }
                hasZero = true;
                size++;
                return true;
            }
            int slot = hash(high, low) & mask;
            while (true) {
                long h = ids[slot * 2];
                long l = ids[slot * 2 + 1];
                if ((h | l) == 0) {
                    ids[slot * 2] = high;
                    ids[slot * 2 + 1] = low;
                    size++;
                    return true;
                }
                if (h == high && l == low) {
                    return false;
                }
                slot = (slot + 1) & mask;
            }
        }

        Table grown(int slots) {
            Table bigger = new Table(slots);
            for (int i = 0; i < ids.length; i += 2) {
                if ((ids[i] | ids[i + 1]) != 0) {
                    bigger.add(ids[i], ids[i + 1]);
                }
            }
            bigger.hasZero = hasZero;
            if (hasZero) {
                bigger.size++;
            }
            return bigger;
        }

        void clear() {
            Arrays.fill(ids, 0L);
            size = 0;
            hasZero = false;
        }

        private static int hash(long high, long low) {
            long h = high * 0x9E3779B97F4A7C15L ^ low;
            h ^= h >>> 32;
            return (int) (h ^ (h >>> 16));
        }
    }

    @Override
    public String toString() {
        return "RecentIds[" + size() + ", at least the last " + capacity + "]";
    }
}
