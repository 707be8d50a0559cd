package org.snakemq.messaging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.snakemq.callback.Callbacks;
import org.snakemq.link.Connection;
import org.snakemq.link.Transport;
import org.snakemq.packeter.PacketBody;
import org.snakemq.packeter.Packeter;
import org.snakemq.storage.QueuesStorage;
import org.snakemq.storage.StoredMessage;

/**
 * The sending side of {@link Messaging}: one {@link OutQueue} per destination identity, the inbox
 * through which other threads hand envelopes to the loop, and the pump that turns queued envelopes
 * into packets while the window and the connection allow. Threads: {@link #enqueue} and the size
 * queries from any thread (sizes are approximate while the loop runs); everything else on the loop
 * thread.
 */
final class Outgoing {

    private static final Logger log = LoggerFactory.getLogger("snakemq.messaging");
    private static final int DRAIN_BATCH = 65_536;
    private static final PacketBody FIRST_SENDS_ON = PacketBody.of(FrameCodec.firstSends(true));
    private static final PacketBody FIRST_SENDS_OFF = PacketBody.of(FrameCodec.firstSends(false));

    private final Packeter packeter;
    private final Transport transport;
    private final MessagingOptions options;
    private final QueuesStorage storage;
    private final Inbound inbound;
    private final Callbacks<MessageDropListener> onMessageDropped;
    // loop thread only
    private final Map<Connection, PeerConnection> peers;
    private final Map<String, PeerConnection> byIdentity;
    private final List<PeerConnection> toPump = new ArrayList<>();
    /** Written on the loop thread; other threads read sizes and in-flight counts. */
    private final Map<String, OutQueue> queues = new ConcurrentHashMap<>();
    /** Envelopes handed over by {@link #enqueue}, one array per call. */
    private final ConcurrentLinkedQueue<Envelope[]> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    /**
     * @param peers      the live connections (read to find the peer of a writable connection)
     * @param byIdentity the identified peers (read to find whom a drained envelope goes to)
     */
    Outgoing(Packeter packeter, MessagingOptions options, QueuesStorage storage, Inbound inbound,
             Map<Connection, PeerConnection> peers, Map<String, PeerConnection> byIdentity,
             Callbacks<MessageDropListener> onMessageDropped) {
        this.packeter = packeter;
        this.transport = packeter.transport();
        this.options = options;
        this.storage = storage;
        this.inbound = inbound;
        this.peers = peers;
        this.byIdentity = byIdentity;
        this.onMessageDropped = onMessageDropped;
    }

    /**
     * Hands envelopes for one destination to the loop thread, which takes the whole array in one poll.
     * Any thread.
     */
    void enqueue(Envelope[] batch) {
        inbox.add(batch);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            transport.execute(this::drain);
        }
    }

    /** Moves what the inbox holds to the queues (a bounded batch per call) and pumps the peers concerned. */
    void drain() {
        drainScheduled.set(false);
        long now = PeerConnection.nowMillis();
        Envelope[] batch;
        int count = 0;
        while (count < DRAIN_BATCH && (batch = inbox.poll()) != null) {
            count += batch.length;
            // every envelope of one batch has the same destination
            String destination = batch[0].destination;
            OutQueue queue = queue(destination, now);
            PeerConnection peer = byIdentity.get(destination);
            if (peer != null && !toPump.contains(peer)) {
                toPump.add(peer);
            }
            for (Envelope envelope : batch) {
                if (!queue.push(envelope, now)) {
                    dropped(envelope);
                }
            }
        }
        if (!inbox.isEmpty()) {
            scheduleDrain();
        }
        for (PeerConnection peer : toPump) {
            pump(peer);
        }
        toPump.clear();
    }

    private OutQueue queue(String destination, long now) {
        OutQueue queue = queues.get(destination);
        if (queue == null) {
            queue = new OutQueue(destination, now);
            queues.put(destination, queue);
        }
        return queue;
    }

    /** The queue of a destination, or null when nothing was ever queued for it. */
    OutQueue queueOf(String destination) {
        return queues.get(destination);
    }

    /** Queues the messages a storage held at start, each under its destination. */
    void load(List<StoredMessage> stored) {
        long now = PeerConnection.nowMillis();
        for (StoredMessage row : stored) {
            Envelope envelope = Envelope.of(row.queue(), row.message(), row.key());
            queue(row.queue(), now).push(envelope, now);
        }
        if (!stored.isEmpty()) {
            log.info("loaded {} stored messages for {} peers", stored.size(), queues.size());
        }
    }

    /** The connection can take more: pumps its peer. */
    void writable(Connection connection) {
        PeerConnection peer = peers.get(connection);
        if (peer != null) {
            pump(peer);
        }
    }

    /**
     * Sends the peer's pending acknowledgements and then queued envelopes while fewer than the window
     * are in flight and the connection is writable.
     */
    void pump(PeerConnection peer) {
        if (peer.closing || !peer.isIdentified()) {
            return;
        }
        OutQueue queue = queues.get(peer.identity);
        if (queue == null) {
            return;
        }
        if (peer.ackCount > 0) {
            inbound.flushAcks(peer); // into the same write as the messages below
        }
        int window = options.window();
        Connection connection = peer.connection;
        while (peer.inFlight.size() < window && packeter.isWritable(connection)) {
            Envelope envelope = queue.poll();
            if (envelope == null) {
                return;
            }
            boolean firstSend = envelope.isFirstSend();
            if (peer.peerTakesFirstSends && firstSend != peer.sendingFirstSends && !announceFirstSends(peer, firstSend)) {
                queue.pushFront(envelope);
                return;
            }
            long id = packeter.send(connection, envelope instanceof HeaderedEnvelope h ? withHeaders(peer, h) : envelope);
            if (id < 0) {
                queue.pushFront(envelope);
                return;
            }
            envelope.packetId = id;
            envelope.sequence = ++peer.messagesSent;
            peer.inFlight.addLast(envelope);
            queue.inFlight++;
        }
    }

    /**
     * Tells the peer whether the messages that follow are sent for the first time (FIRST_SENDS), so it
     * can skip the look-up among ids it delivered before for those that are.
     *
     * @return false when the connection is gone
     */
    private boolean announceFirstSends(PeerConnection peer, boolean fresh) {
        if (packeter.send(peer.connection, fresh ? FIRST_SENDS_ON : FIRST_SENDS_OFF) < 0) {
            return false;
        }
        peer.sendingFirstSends = fresh;
        return true;
    }

    /** The frame for an envelope with headers: MESSAGE_WITH_HEADERS, or a plain MESSAGE for a peer without them. */
    private PacketBody withHeaders(PeerConnection peer, HeaderedEnvelope envelope) {
        if (peer.peerTakesHeaders) {
            return new HeaderedMessage(envelope);
        }
        if (!peer.headersLeftOut) {
            peer.headersLeftOut = true;
            log.info("{} did not announce headers (an original peer?): messages to it go without their headers",
                    peer);
        }
        return envelope;
    }

    /**
     * The peer identified itself: its queue's TTLs lose the time it was away (the storage is told of
     * stored ones that changed), and messages whose TTL ran out are dropped.
     */
    void identified(PeerConnection peer) {
        long now = PeerConnection.nowMillis();
        List<Envelope> changed = queue(peer.identity, now).connect(now, this::dropped);
        if (storage != null && !changed.isEmpty()) {
            List<QueuesStorage.TtlUpdate> updates = new ArrayList<>(changed.size());
            for (Envelope envelope : changed) {
                updates.add(new QueuesStorage.TtlUpdate(envelope.storageKey, envelope.ttl()));
            }
            storage.updateTtls(updates);
        }
    }

    /** The identified peer disconnected: its in-flight envelopes go back to the front of its queue. */
    void disconnected(PeerConnection peer) {
        long now = PeerConnection.nowMillis();
        OutQueue queue = queue(peer.identity, now);
        if (!peer.inFlight.isEmpty()) {
            queue.requeueFront(new ArrayList<>(peer.inFlight));
            peer.inFlight.clear();
        }
        queue.disconnect(now);
    }

    /** Drops the messages whose TTL ran out in the queues of absent destinations. */
    void expire(long now) {
        for (OutQueue queue : queues.values()) {
            queue.expire(now, this::dropped);
        }
    }

    /**
     * Removes every message waiting in a destination's queue that is not in flight, after draining the
     * inbox (messages sent before are purged too), and drops each.
     *
     * @return how many were removed
     */
    int purge(String destination) {
        drain();
        OutQueue queue = queues.get(destination);
        List<Envelope> removed = queue == null ? List.of() : queue.removePending();
        removed.forEach(this::dropped);
        return removed.size();
    }

    /** A message leaves its queue unsent: deleted from the storage and reported to onMessageDropped. */
    private void dropped(Envelope envelope) {
        if (envelope.isStored()) {
            storage.delete(envelope.storageKey);
        }
        log.debug("dropped message {} for {}", envelope.uuid(), envelope.destination);
        if (!onMessageDropped.isEmpty()) {
            UUID uuid = envelope.uuid();
            onMessageDropped.fire(l -> l.onDrop(envelope.destination, uuid));
        }
    }

    /** Pending plus in-flight messages of a destination. Any thread; approximate while the loop runs. */
    int queueSize(String destination) {
        OutQueue queue = queues.get(destination);
        return queue == null ? 0 : queue.size();
    }

    /** Queue sizes of every destination. Any thread; approximate while the loop runs. */
    Map<String, Integer> queueSizes() {
        Map<String, Integer> sizes = new HashMap<>();
        queues.forEach((name, queue) -> sizes.put(name, queue.size()));
        return sizes;
    }

    /** In-flight messages of a destination. Any thread; approximate while the loop runs. */
    int inFlight(String destination) {
        OutQueue queue = queues.get(destination);
        return queue == null ? 0 : queue.inFlight;
    }
}
