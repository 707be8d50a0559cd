package org.snakemq.messaging;

/**
 * The last {@code capacity} message ids delivered from one peer, for duplicate suppression. A ring
 * of ids plus an open-addressing index over it: no boxing, and memory that starts small and grows
 * only up to the capacity. Loop thread only.
 */
final class RecentIds {

    private static final int INITIAL = 1024;

    private final int capacity;
    private long[] ringHigh;
    private long[] ringLow;
    private int[] index; // slot -> ring position + 1, 0 = empty
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
        return find(high, low) >= 0;
    }

    /**
     * Remembers an id unless it is known already, in a single probe of the index.
     *
     * @return true when the id was new
     */
    boolean addIfAbsent(long high, long low) {
        int slot = hash(high, low) & mask;
        while (index[slot] != 0) {
            int pos = index[slot] - 1;
            if (ringHigh[pos] == high && ringLow[pos] == low) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        if (size == ringHigh.length) {
            // the ring is full or must grow: the index changes, so take the general path
            add(high, low);
        } else {
            size++;
            ringHigh[next] = high;
            ringLow[next] = low;
            index[slot] = next + 1;
            next = (next + 1) % ringHigh.length;
        }
        return true;
    }

    /** Remembers an id that is not {@linkplain #contains known} yet, forgetting the oldest when full. */
    void add(long high, long low) {
        if (size == ringHigh.length && ringHigh.length < capacity) {
            grow();
        }
        if (size == ringHigh.length) {
            removeSlotOf(next);
        } else {
            size++;
        }
        ringHigh[next] = high;
        ringLow[next] = low;
        insert(next);
        next = (next + 1) % ringHigh.length;
    }

    int size() {
        return size;
    }

    private void allocate(int ringSize) {
        ringHigh = new long[ringSize];
        ringLow = new long[ringSize];
        int slots = Integer.highestOneBit(Math.max(2, ringSize * 2 - 1)) << 1;
        index = new int[slots];
        mask = slots - 1;
    }

    private void grow() {
        // the ring is full, so the oldest id sits at `next`; copy oldest-first into a larger ring
        long[] oldHigh = ringHigh;
        long[] oldLow = ringLow;
        int oldSize = oldHigh.length;
        allocate(Math.min(capacity, oldSize * 2));
        for (int i = 0; i < oldSize; i++) {
            int from = (next + i) % oldSize;
            ringHigh[i] = oldHigh[from];
            ringLow[i] = oldLow[from];
            insert(i);
        }
        next = oldSize;
    }

    private void insert(int ringPos) {
        int slot = hash(ringHigh[ringPos], ringLow[ringPos]) & mask;
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = ringPos + 1;
    }

    private int find(long high, long low) {
        int slot = hash(high, low) & mask;
        while (index[slot] != 0) {
            int pos = index[slot] - 1;
            if (ringHigh[pos] == high && ringLow[pos] == low) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private void removeSlotOf(int ringPos) {
        int slot = find(ringHigh[ringPos], ringLow[ringPos]);
        if (slot < 0) {
            return;
        }
        // backward-shift deletion keeps probe chains intact without tombstones
        index[slot] = 0;
        int hole = slot;
        int cur = (slot + 1) & mask;
        while (index[cur] != 0) {
            int pos = index[cur] - 1;
            int home = hash(ringHigh[pos], ringLow[pos]) & mask;
            if (((cur - home) & mask) >= ((cur - hole) & mask)) {
                index[hole] = index[cur];
                index[cur] = 0;
                hole = cur;
            }
            cur = (cur + 1) & mask;
        }
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
