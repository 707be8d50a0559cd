package org.snakemq.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heap that the duplicate memory of all peers of one {@link Messaging} may take together
 * ({@link MessagingOptions#duplicateMemoryBudget()}), shared evenly by the peers that have sent
 * messages. Each {@link RecentIds} asks for its generation size when its first id arrives and again
 * at each retirement, so peers that joined earlier shrink to their share at their next retirement.
 * A hub of 10,000 busy peers at the default of 16,384 ids each would otherwise need about 5 GB.
 * Loop thread only.
 */
final class DuplicateMemoryBudget {

    private static final Logger log = LoggerFactory.getLogger("snakemq.messaging");
    /**
     * Heap per id of a generation: four longs (the id in both generations) and, while re-sent messages
     * are looked up, about four table slots of four bytes.
     */
    static final int BYTES_PER_ID = 48;
    /** No peer's generation shrinks below this many ids, whatever the budget. */
    static final int MIN_GENERATION = 256;

    private final long bytes;
    private final int capacity;
    private int senders;
    private int warnedAt = Integer.MAX_VALUE;

    /**
     * @param bytes    the heap all generations may take together
     * @param capacity the generation size a peer gets while the budget allows it
     */
    DuplicateMemoryBudget(long bytes, int capacity) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("budget must be positive: " + bytes);
        }
        if (capacity <= 0 || capacity > RecentIds.MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be between 1 and " + RecentIds.MAX_CAPACITY + ": "
                    + capacity);
        }
        this.bytes = bytes;
        this.capacity = capacity;
    }

    /** A budget that never shrinks a generation below {@code capacity}; for tests and single peers. */
    static DuplicateMemoryBudget unlimited(int capacity) {
        return new DuplicateMemoryBudget(Long.MAX_VALUE, capacity);
    }

    /** The generation size of every peer while the budget allows it. */
    int capacity() {
        return capacity;
    }

    /** A peer received its first id. */
    void joined() {
        senders++;
    }

    /** Peers that have received ids. */
    int senders() {
        return senders;
    }

    /** The generation size of a peer now: its even share of the budget, between the floor and the capacity. */
    int generation() {
        long share = bytes / Math.max(1, senders) / BYTES_PER_ID;
        int generation = (int) Math.min(capacity, Math.max(Math.min(MIN_GENERATION, capacity), share));
        if (generation < capacity && generation <= warnedAt / 2) {
            warnedAt = generation;
            log.warn("duplicate memory: {} sending peers share a budget of {} MB, so each remembers at least the"
                            + " last {} delivered message ids instead of {}; a peer that re-sends more than that after a"
                            + " break may deliver a message twice. Raise MessagingOptions.duplicateMemoryBudget (or the"
                            + " heap) to remember more", senders, bytes >> 20, generation, capacity);
        }
        return generation;
    }
}
