package org.snakemq.messaging;

/**
 * The last {@code capacity} message ids delivered from one peer, for duplicate suppression. A ring
 * of ids plus an open-addressing index over it: no boxing, and memory that starts small and grows
 * only up to the capacity. Loop thread only.
 *
 * <p>Each index slot holds the id's 32-bit hash beside its ring position, so probing and the
 * backward-shift deletion read only the index; the ring (high and low halves side by side) is read
 * only to confirm a hash match. This keeps a lookup to about one cache miss.
 */
final class RecentIds {

    private static final int INITIAL = 1024;

    private final int capacity;
    private long[] ring;  // id i at [2i] (high) and [2i + 1] (low)
    private long[] index; // slot -> hash << 32 | (ring position + 1); 0 = empty
    private int ringSize;
    private int mask;
    private int next;
    private int size;

    RecentIds(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        allocate(Math.min(capacity, INITIAL));
    }

    boolean contains(long high, long low) {
        return find(high, low, hash(high, low)) >= 0;
    }

    /** Remembers an id that is not {@linkplain #contains known} yet, forgetting the oldest when full. */
    void add(long high, long low) {
        if (size == ringSize && ringSize < capacity) {
            grow();
        }
        if (size == ringSize) {
            removeSlotOf(next);
        } else {
            size++;
        }
        ring[2 * next] = high;
        ring[2 * next + 1] = low;
        insert(next, hash(high, low));
        next = (next + 1) % ringSize;
    }

    int size() {
        return size;
    }

    private void allocate(int newRingSize) {
        ringSize = newRingSize;
        ring = new long[2 * newRingSize];
        int slots = Integer.highestOneBit(Math.max(2, newRingSize * 2 - 1)) << 1;
        index = new long[slots];
        mask = slots - 1;
    }

    private void grow() {
        // the ring is full, so the oldest id sits at `next`; copy oldest-first into a larger ring
        long[] old = ring;
        int oldSize = ringSize;
        allocate(Math.min(capacity, oldSize * 2));
        for (int i = 0; i < oldSize; i++) {
            int from = (next + i) % oldSize;
            long high = old[2 * from];
            long low = old[2 * from + 1];
            ring[2 * i] = high;
            ring[2 * i + 1] = low;
            insert(i, hash(high, low));
        }
        next = oldSize;
    }

    private void insert(int ringPos, int hash) {
        int slot = hash & mask;
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = entry(hash, ringPos);
    }

    private int find(long high, long low, int hash) {
        int slot = hash & mask;
        long entry;
        while ((entry = index[slot]) != 0) {
            if ((int) (entry >>> 32) == hash) {
                int pos = (int) entry - 1;
                if (ring[2 * pos] == high && ring[2 * pos + 1] == low) {
                    return slot;
                }
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private void removeSlotOf(int ringPos) {
        long high = ring[2 * ringPos];
        long low = ring[2 * ringPos + 1];
        int slot = find(high, low, hash(high, low));
        if (slot < 0) {
            return;
        }
        // backward-shift deletion keeps probe chains intact without tombstones
        index[slot] = 0;
        int hole = slot;
        int cur = (slot + 1) & mask;
        long entry;
        while ((entry = index[cur]) != 0) {
            int home = (int) (entry >>> 32) & mask;
            if (((cur - home) & mask) >= ((cur - hole) & mask)) {
                index[hole] = entry;
                index[cur] = 0;
                hole = cur;
            }
            cur = (cur + 1) & mask;
        }
    }

    private static long entry(int hash, int ringPos) {
        return ((long) hash << 32) | (ringPos + 1L);
    }

    private static int hash(long high, long low) {
        long h = high * 0x9E3779B97F4A7C15L ^ low;
        h ^= h >>> 32;
        return (int) (h ^ (h >>> 16));
    }

    @Override
    public String toString() {
        return "RecentIds[" + size + "/" + capacity + "]";
    }
}
