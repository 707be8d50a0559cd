package org.snakemq.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What the receiving side remembers of one sender identity, across its connections: the ids of
 * messages it is done with (for duplicate suppression) and, with an {@link InboundGate}, the
 * messages handed to the gate and not yet completed, with the connections waiting to acknowledge
 * them. Loop thread only.
 */
final class InboundSender {

    final String identity;
    /** Ids of messages delivered (without a gate) or completed (with one). */
    final RecentIds done;
    /** Messages handed to the gate, not yet completed, by id. */
    final Map<UUID, Waiters> pending = new HashMap<>();

    InboundSender(String identity, RecentIds done) {
        this.identity = identity;
        this.done = done;
    }

    /**
     * The connections and sequence numbers that acknowledge one message once it is complete: the
     * first arrival, and repeats that arrived while it was pending (after a reconnect).
     */
    static final class Waiters {
        final PeerConnection firstPeer;
        final long firstSequence;
        /** Further (peer, sequence) pairs; rare, so kept out of the common case. */
        Object[] more;
        int moreCount;

        Waiters(PeerConnection peer, long sequence) {
            this.firstPeer = peer;
            this.firstSequence = sequence;
        }

        void add(PeerConnection peer, long sequence) {
            if (more == null) {
                more = new Object[4];
            } else if (moreCount * 2 == more.length) {
                more = java.util.Arrays.copyOf(more, more.length * 2);
            }
            more[moreCount * 2] = peer;
            more[moreCount * 2 + 1] = sequence;
            moreCount++;
        }
    }
}
