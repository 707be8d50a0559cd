package org.snakemq.messaging;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.snakemq.callback.Callbacks;
import org.snakemq.link.Connection;
import org.snakemq.storage.QueuesStorage;

/**
 * Confirmation of sent messages (PROTOCOL.md part C): by ACK_UPTO and ACK from a peer that
 * acknowledges, by the write itself ({@link #packetsSent}) for one that does not. A confirmed message
 * leaves its peer's in-flight list, is deleted from the storage and reported to
 * {@link Messaging#onMessageSent()}, and the window is refilled. Threads: {@link #acknowledges} from
 * any thread; everything else on the loop thread.
 */
final class Acknowledgements {

    private final MessagingOptions options;
    private final QueuesStorage storage;
    private final Outgoing outgoing;
    private final ProtocolErrors errors;
    private final Callbacks<MessageSentListener> onMessageSent;
    /** The live connections; loop thread only. */
    private final Map<Connection, PeerConnection> peers;
    /** Identities of connected peers that acknowledge; written on the loop thread, read by any. */
    private final Set<String> acknowledgingIdentities = ConcurrentHashMap.newKeySet();

    Acknowledgements(MessagingOptions options, QueuesStorage storage, Outgoing outgoing, ProtocolErrors errors,
                     Map<Connection, PeerConnection> peers, Callbacks<MessageSentListener> onMessageSent) {
        this.options = options;
        this.storage = storage;
        this.outgoing = outgoing;
        this.errors = errors;
        this.peers = peers;
        this.onMessageSent = onMessageSent;
    }

    /** Whether both sides use acknowledgements on this connection. */
    boolean acknowledged(PeerConnection peer) {
        return options.acknowledgements() && peer.peerAcknowledges;
    }

    /** Whether the peer connected under this identity acknowledges. Any thread. */
    boolean acknowledges(String identity) {
        return acknowledgingIdentities.contains(identity);
    }

    /** The peer identified itself: {@link #acknowledges} now describes its connection. */
    void identified(PeerConnection peer) {
        if (acknowledged(peer)) {
            acknowledgingIdentities.add(peer.identity);
        } else {
            acknowledgingIdentities.remove(peer.identity);
        }
    }

    /** The identified peer disconnected. */
    void disconnected(PeerConnection peer) {
        acknowledgingIdentities.remove(peer.identity);
    }

    /** Confirms every in-flight message up to the one the peer names by its count and id. */
    void upToReceived(PeerConnection peer, Frame.AckUpTo ack) {
        if (!peer.isIdentified()) {
            errors.fail(peer, "ACK_UPTO before identification");
            return;
        }
        if (ack.count() < 1 || ack.count() > peer.messagesSent) {
            errors.fail(peer, "ACK_UPTO for message " + ack.count() + " of the " + peer.messagesSent + " sent");
            return;
        }
        // check the named message before confirming anything: a wrong frame confirms nothing
        Envelope named = null;
        for (Envelope envelope : peer.inFlight) {
            if (envelope.sequence >= ack.count()) {
                named = envelope.sequence == ack.count() ? envelope : null;
                break;
            }
        }
        if (named == null) {
            return; // confirmed already: a stale or repeated acknowledgement
        }
        if (!named.hasUuid(ack.high(), ack.low())) {
            errors.fail(peer, "ACK_UPTO names message " + ack.count() + " with another id");
            return;
        }
        OutQueue queue = inFlightQueue(peer);
        Envelope head;
        while ((head = peer.inFlight.peekFirst()) != null && head.sequence <= ack.count()) {
            confirmed(peer, queue, peer.inFlight.pollFirst());
        }
        outgoing.pump(peer);
    }

    /** Confirms the in-flight messages an ACK names, in any order; unknown ids are ignored. */
    void received(PeerConnection peer, List<UUID> uuids) {
        if (!peer.isIdentified()) {
            errors.fail(peer, "ACK before identification");
            return;
        }
        OutQueue queue = inFlightQueue(peer);
        for (UUID uuid : uuids) {
            long high = uuid.getMostSignificantBits();
            long low = uuid.getLeastSignificantBits();
            Envelope head = peer.inFlight.peekFirst();
            if (head != null && head.hasUuid(high, low)) {
                confirmed(peer, queue, peer.inFlight.pollFirst());
                continue;
            }
            for (Iterator<Envelope> it = peer.inFlight.iterator(); it.hasNext(); ) {
                Envelope envelope = it.next();
                if (envelope.hasUuid(high, low)) {
                    it.remove();
                    confirmed(peer, queue, envelope);
                    break;
                }
            }
        }
        outgoing.pump(peer);
    }

    /** Packets up to {@code lastId} are written: for a peer that does not acknowledge, that confirms them. */
    void packetsSent(Connection connection, long firstId, long lastId) {
        PeerConnection peer = peers.get(connection);
        if (peer == null) {
            return;
        }
        if (!acknowledged(peer)) {
            OutQueue queue = inFlightQueue(peer);
            while (!peer.inFlight.isEmpty() && peer.inFlight.peekFirst().packetId <= lastId) {
                confirmed(peer, queue, peer.inFlight.pollFirst());
            }
            outgoing.pump(peer);
        }
    }

    /** The queue that counts the peer's in-flight messages, or null (none before identification). */
    private OutQueue inFlightQueue(PeerConnection peer) {
        return peer.isIdentified() ? outgoing.queueOf(peer.identity) : null;
    }

    private void confirmed(PeerConnection peer, OutQueue queue, Envelope envelope) {
        if (queue != null && queue.inFlight > 0) {
            queue.inFlight--;
        }
        if (envelope.isStored()) {
            storage.delete(envelope.storageKey);
        }
        if (!onMessageSent.isEmpty()) {
            UUID uuid = envelope.uuid();
            onMessageSent.fire(l -> l.onSent(peer.connection, peer.identity, uuid));
        }
    }
}
