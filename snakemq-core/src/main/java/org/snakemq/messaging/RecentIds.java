package org.snakemq.messaging;

import java.util.Arrays;

/**
 * Message ids recently delivered from one peer, for duplicate suppression. Two generations: new ids
 * go into the current one; when it holds {@code capacity} ids it becomes the previous one and the old
 * previous one is forgotten. So at least the last {@code capacity} ids (and at most twice that) are
 * remembered, with no per-id eviction work and no boxing.
 *
 * <p>The ids themselves sit in one array in arrival order, the two generations in its two halves. One
 * open-addressing table of 4-byte slots (the position in that array, and in the bits it leaves free
 * a fingerprint of the id) indexes both generations, so deciding on an id, new or not, reads one
 * place of the table; the ids are read only when a fingerprint matches. On a hub with many peers
 * every peer's table is out of the CPU cache by the time its next message comes, so each place read
 * is a cache miss.
 *
 * <p>The table is built only when it is needed. A peer that says its messages are sent for the first
 * time (FIRST_SENDS, see {@link FrameType#FIRST_SENDS}) has its ids {@linkplain #add added}: appended
 * to the array, one sequential write. The first {@linkplain #contains look-up} (a message that may
 * have been sent before, after a reconnect) builds the table over both generations in one burst, and
 * it is kept up to date from then on; a generation that retires without a single look-up drops it
 * again. When a generation retires with the table in use, the table is cleared and filled again with
 * the ids of the generation that stays, which costs about one insertion per id.
 *
 * <p>Memory follows the traffic: a peer that has sent nothing holds no array at all (an identified
 * but idle connection costs the hub this object only), and the room starts at {@value #INITIAL_IDS}
 * ids on the first one and grows {@value #GROWTH}-fold as ids arrive, up to {@code capacity}; the
 * first retirement makes room for both generations ({@code 2 * capacity} ids), which later
 * retirements reuse. Growing never forgets an id, so what is remembered is the same as with
 * full-size arrays from the start.
 *
 * <p>The generations of all peers share a {@link DuplicateMemoryBudget}: a generation holds {@code
 * capacity} ids while the budget allows, else the peer's share of it. The size is chosen with the
 * first id and again at each retirement; a retirement to a smaller size keeps the last ids of the
 * retiring generation that fit, so at least the last {@code generation} ids stay remembered. Loop
 * thread only.
 */
final class RecentIds {

    /** Room for ids of the first array, allocated with the first id. */
    private static final int INITIAL_IDS = 16;
    /** How many times the room grows in one step, until it reaches the capacity. */
    private static final int GROWTH = 4;
    /** No table: {@link #probe} is never called on it. */
    private static final int[] NO_SLOTS = new int[0];
    private static final long[] NO_IDS = new long[0];
    /** The largest capacity whose arrays (four longs and four slots per id) stay within Java's array lengths. */
    static final int MAX_CAPACITY = 1 << 28;

    private final int capacity;
    private final DuplicateMemoryBudget budget;
    /** Ids a generation holds: {@code capacity}, or less when the budget is short; 0 before the first id. */
    private int generation;
    /** High, low pairs by position; the current generation from {@link #start}, the previous one in the other half. */
    private long[] ids = NO_IDS;
    /**
     * Per slot: the position + 1 in the bits below {@link #fingerprintMask}, the high bits of the id's
     * hash in the rest; 0 = free. Load factor at most one half. {@link #NO_SLOTS} while not needed.
     */
    private int[] slots = NO_SLOTS;
    private int mask;
    private int fingerprintMask;
    /** First position of the current generation: 0 or {@link #generation}; the previous one is in the other half. */
    private int start;
    private int currentSize;
    private int previousSize;
    /** Whether an id was looked up since the last retirement: keep the table through the next one. */
    private boolean lookedUp;

    /** Ids of one peer with a budget of its own that always allows {@code capacity}. */
    RecentIds(int capacity) {
        this(DuplicateMemoryBudget.unlimited(capacity));
    }

    /** Ids of one peer whose generations hold the budget's capacity, or the peer's share of the budget. */
    RecentIds(DuplicateMemoryBudget budget) {
        this.capacity = budget.capacity();
        this.budget = budget;
    }

    boolean contains(long high, long low) {
        lookedUp = true;
        if (size() == 0) {
            return false;
        }
        indexIfNeeded();
        return probe(mix(high, low), high, low) >= 0;
    }

    /**
     * Remembers an id unless it is known already.
     *
     * @return true when the id was new
     */
    boolean addIfAbsent(long high, long low) {
        makeRoom(); // first, so that the probe below finds the free slot the id goes into
        lookedUp = true;
        indexIfNeeded();
        long mixed = mix(high, low);
        int slot = probe(mixed, high, low);
        if (slot >= 0) {
            return false;
        }
        int position = start + currentSize;
        slots[~slot] = ((int) (mixed >>> 32) & fingerprintMask) | (position + 1);
        append(position, high, low);
        return true;
    }

    /**
     * Remembers an id that is not known: one sent for the first time, or one checked with {@link
     * #contains} before. Without a table this is an append and reads nothing.
     */
    void add(long high, long low) {
        makeRoom();
        int position = start + currentSize;
        append(position, high, low);
        if (slots != NO_SLOTS) {
            insert(position);
        }
    }

    /** How many ids are remembered now (between the generation size and twice that once warmed up). */
    int size() {
        return currentSize + previousSize;
    }

    /** How many ids the current generation has room for before it grows or retires (0 before the first id). */
    int room() {
        return Math.min(ids.length / 2, generation);
    }

    /** Ids a generation holds now; 0 before the first id. */
    int generation() {
        return generation;
    }

    /** Whether the look-up table exists now (it is built by the first look-up after adds). */
    boolean indexed() {
        return slots != NO_SLOTS;
    }

    private void append(int position, long high, long low) {
        ids[position * 2] = high;
        ids[position * 2 + 1] = low;
        currentSize++;
    }

    private void makeRoom() {
        if (generation == 0) {
            budget.joined();
            generation = budget.generation();
        }
        if (currentSize == generation) {
            retire();
        } else if (start + currentSize == ids.length / 2) {
            grow(Math.min(Math.max(INITIAL_IDS, currentSize * GROWTH), generation));
        }
    }

    /**
     * The current generation is full: it becomes the previous one, the previous one is forgotten. The
     * table is kept (for the generation that stays) only if it was used since the last retirement.
     */
    private void retire() {
        int next = budget.generation();
        int previousStart;
        if (ids.length == next * 4) {
            previousStart = start; // the same size as before: the halves swap
            start = previousStart == 0 ? next : 0;
            previousSize = currentSize;
        } else {
            // the first retirement, or another size: the last ids that fit stay, in the first half
            int keep = Math.min(currentSize, next);
            long[] resized = new long[next * 4];
            System.arraycopy(ids, (start + currentSize - keep) * 2, resized, 0, keep * 2);
            ids = resized;
            previousStart = 0;
            start = next;
            previousSize = keep;
        }
        generation = next;
        currentSize = 0;
        if (lookedUp && slots != NO_SLOTS) {
            if (slots.length != tableSize(next * 2)) {
                newTable(next * 2);
            } else {
                Arrays.fill(slots, 0);
            }
            index(previousStart, previousSize);
        } else {
            slots = NO_SLOTS;
        }
        lookedUp = false;
    }

    /** Before the first retirement: more room for the current generation, which starts at 0. */
    private void grow(int room) {
        ids = Arrays.copyOf(ids, room * 2);
        if (slots != NO_SLOTS) {
            newTable(room);
            index(0, currentSize);
        }
    }

    /** Builds the table over both generations if there is none. */
    private void indexIfNeeded() {
        if (slots == NO_SLOTS) {
            newTable(ids.length / 2);
            index(start, currentSize);
            index(start == 0 ? generation : 0, previousSize);
        }
    }

    private void newTable(int positions) {
        slots = new int[tableSize(positions)];
        mask = slots.length - 1;
        fingerprintMask = -1 << (32 - Integer.numberOfLeadingZeros(positions));
    }

    /** Table slots for up to {@code positions} ids: a power of two, at least twice that. */
    private static int tableSize(int positions) {
        return Integer.highestOneBit(positions * 2 - 1) << 1;
    }

    /** Enters the ids at {@code count} positions from {@code from} into a table that holds none of them. */
    private void index(int from, int count) {
        for (int position = from; position < from + count; position++) {
            insert(position);
        }
    }

    /** Enters the id at a position into the first free slot of its probe sequence. */
    private void insert(int position) {
        long mixed = mix(ids[position * 2], ids[position * 2 + 1]);
        int slot = (int) mixed & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = ((int) (mixed >>> 32) & fingerprintMask) | (position + 1);
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

    private static long mix(long high, long low) {
        long h = (high ^ Long.rotateLeft(low, 29)) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 31);
    }

    @Override
    public String toString() {
        return "RecentIds[" + size() + ", at least the last " + generation + " of at most " + capacity + "]";
    }
}
