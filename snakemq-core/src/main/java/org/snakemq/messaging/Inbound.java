package org.snakemq.messaging;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.snakemq.callback.Callbacks;
import org.snakemq.link.Connection;
import org.snakemq.link.Transport;
import org.snakemq.message.Message;
import org.snakemq.packeter.PacketBody;
import org.snakemq.packeter.Packeter;

/**
 * The receiving side of {@link Messaging}: duplicate suppression, acknowledgements, and the hand-over
 * to an {@link InboundGate} whose completions decide when a message is acknowledged. Without a gate a
 * message is done once the receive callbacks returned (PROTOCOL.md part C). Loop thread only, except
 * the completions a gate reports, which hop to the loop thread.
 */
final class Inbound {

    private static final Logger log = LoggerFactory.getLogger("snakemq.messaging");
    /** Pending acknowledgements that are sent at once, without waiting for the end of the pass. */
    private static final int ACK_BATCH = 4096;

    private final Packeter packeter;
    private final Transport transport;
    private final MessagingOptions options;
    /** Shared by the duplicate memory of every sender. */
    private final DuplicateMemoryBudget duplicateBudget;
    private final Callbacks<MessageListener> onMessageReceived;
    /** Messaging's live connections; read to tell a live peer from a closed one. */
    private final Map<Connection, PeerConnection> peers;
    private final Map<String, InboundSender> senders = new HashMap<>();
    private final List<PeerConnection> paused = new ArrayList<>();
    private volatile InboundGate gate;

    Inbound(Packeter packeter, MessagingOptions options, Callbacks<MessageListener> onMessageReceived,
            Map<Connection, PeerConnection> peers) {
        this.packeter = packeter;
        this.transport = packeter.transport();
        this.options = options;
        this.duplicateBudget = new DuplicateMemoryBudget(options.duplicateMemoryBudgetBytes(), options.duplicateMemory());
        this.onMessageReceived = onMessageReceived;
        this.peers = peers;
    }

    void setGate(InboundGate newGate) {
        Objects.requireNonNull(newGate, "gate");
        if (gate != null) {
            throw new IllegalStateException("an inbound gate is installed already");
        }
        gate = newGate;
        newGate.bind(new InboundGate.Completions() {
            @Override
            public void completed(String sender, UUID id) {
                transport.execute(() -> Inbound.this.completed(sender, id));
            }

            @Override
            public void roomAvailable() {
                transport.execute(Inbound.this::resumePaused);
            }
        });
    }

    /** The peer identified itself; {@code acknowledged} when both sides use acknowledgements. */
    void identified(PeerConnection peer, boolean acknowledged) {
        if (acknowledged) {
            peer.inbound = senders.computeIfAbsent(peer.identity, this::newSender);
            if (gate != null) {
                peer.completions = new CompletedSequences();
            }
        }
    }

    private InboundSender newSender(String identity) {
        InboundSender sender = new InboundSender(identity, new RecentIds(duplicateBudget));
        InboundGate g = gate;
        if (g != null) {
            Collection<UUID> before = g.completedBefore(identity);
            for (UUID id : before) {
                sender.done.add(id.getMostSignificantBits(), id.getLeastSignificantBits());
            }
            if (!before.isEmpty()) {
                log.debug("{} messages from {} completed before this start", before.size(), LogSafe.text(identity));
            }
        }
        return sender;
    }

    void disconnected(PeerConnection peer) {
        paused.remove(peer);
    }

    void messageReceived(PeerConnection peer, Message message, boolean acknowledged) {
        InboundGate g = gate;
        if (!acknowledged) {
            deliver(peer, message);
            if (g != null && g.wants(peer.identity, message)) {
                g.accept(peer.identity, message);
                pauseIfFull(g, peer);
            }
            return;
        }
        long high = message.uuid().getMostSignificantBits();
        long low = message.uuid().getLeastSignificantBits();
        long sequence = ++peer.messagesReceived;
        InboundSender sender = peer.inbound;
        // a first send is neither among the ids delivered before nor being handled: no look-up
        boolean firstSend = peer.receivingFirstSends;
        if (g == null) {
            if (firstSend) {
                sender.done.add(high, low);
                deliver(peer, message);
            } else if (sender.done.addIfAbsent(high, low)) {
                deliver(peer, message);
            } else {
                log.debug("{} sent {} again; acknowledged, not delivered twice", peer, message.uuid());
            }
            queueAck(peer, sequence, high, low);
            return;
        }
        peer.completions.received(sequence, high, low);
        if (!firstSend && sender.done.contains(high, low)) {
            log.debug("{} sent {} again; done already, acknowledged, not handed over twice", peer, message.uuid());
            complete(peer, sequence, high, low);
            return;
        }
        InboundSender.Waiters waiting = firstSend ? null : sender.pending.get(message.uuid());
        if (waiting != null) {
            log.debug("{} sent {} again while it is being handled; acknowledged once done", peer, message.uuid());
            waiting.add(peer, sequence);
            return;
        }
        deliver(peer, message);
        if (!g.wants(peer.identity, message)) {
            sender.done.add(high, low);
            complete(peer, sequence, high, low);
            return;
        }
        sender.pending.put(message.uuid(), new InboundSender.Waiters(peer, sequence));
        g.accept(peer.identity, message);
        pauseIfFull(g, peer);
    }

    private void deliver(PeerConnection peer, Message message) {
        onMessageReceived.fire(l -> l.onMessage(peer.connection, peer.identity, message));
    }

    /** The gate is done with a message: acknowledge it on every live connection that waits for it. */
    private void completed(String identity, UUID id) {
        InboundSender sender = senders.get(identity);
        InboundSender.Waiters waiting = sender == null ? null : sender.pending.remove(id);
        if (waiting == null) {
            return; // from an original peer: nothing to acknowledge
        }
        long high = id.getMostSignificantBits();
        long low = id.getLeastSignificantBits();
        sender.done.add(high, low);
        completeIfLive(waiting.firstPeer, waiting.firstSequence, high, low);
        for (int i = 0; i < waiting.moreCount; i++) {
            completeIfLive((PeerConnection) waiting.more[i * 2], (Long) waiting.more[i * 2 + 1], high, low);
        }
    }

    private void completeIfLive(PeerConnection peer, long sequence, long high, long low) {
        if (!peer.closing && peers.get(peer.connection) == peer) {
            complete(peer, sequence, high, low);
        }
    }

    /** A message of the connection is done: acknowledge it, cumulatively when contiguous. */
    private void complete(PeerConnection peer, long sequence, long high, long low) {
        if (!peer.peerAcksUpTo) {
            queueAck(peer, sequence, high, low);
            return;
        }
        CompletedSequences completions = peer.completions;
        if (completions.complete(sequence)) {
            queueAck(peer, completions.base(), completions.baseHigh(), completions.baseLow());
        }
    }

    private void pauseIfFull(InboundGate g, PeerConnection peer) {
        if (!peer.readPaused && !g.hasRoom(peer.identity)) {
            peer.readPaused = true;
            paused.add(peer);
            transport.setReadPaused(peer.connection, true);
            log.debug("{}: handlers are busy; reading paused", peer);
        }
    }

    private void resumePaused() {
        InboundGate g = gate;
        for (Iterator<PeerConnection> it = paused.iterator(); it.hasNext(); ) {
            PeerConnection peer = it.next();
            if (peer.closing || peers.get(peer.connection) != peer) {
                it.remove();
            } else if (g.hasRoom(peer.identity)) {
                it.remove();
                peer.readPaused = false;
                transport.setReadPaused(peer.connection, false);
                log.debug("{}: handlers have room; reading again", peer);
            }
        }
    }

    /**
     * Queues the acknowledgement of one message; they go out at the end of the current loop pass,
     * batched per read. With ACK_UPTO only the latest (sequence, id) is kept: it covers the others.
     */
    private void queueAck(PeerConnection peer, long sequence, long high, long low) {
        if (peer.peerAcksUpTo) {
            peer.ackUpTo = sequence;
            peer.lastReceivedHigh = high;
            peer.lastReceivedLow = low;
            peer.ackCount++;
        } else {
            peer.addAck(high, low);
        }
        if (peer.ackCount >= ACK_BATCH) {
            // a long read can cover the sender's whole window: let it refill before the pass ends
            flushAcks(peer);
            packeter.flush(peer.connection);
        } else if (!peer.ackFlushScheduled) {
            peer.ackFlushScheduled = true;
            transport.execute(() -> {
                peer.ackFlushScheduled = false;
                flushAcks(peer);
            });
        }
    }

    void flushAcks(PeerConnection peer) {
        int count = peer.ackCount;
        if (count == 0 || peer.closing || peers.get(peer.connection) != peer) {
            peer.ackCount = 0;
            return;
        }
        if (peer.peerAcksUpTo) {
            packeter.send(peer.connection, FrameCodec.ackUpTo(peer.ackUpTo, peer.lastReceivedHigh, peer.lastReceivedLow));
            peer.ackCount = 0;
            return;
        }
        long[] ids = peer.acks;
        packeter.send(peer.connection, new PacketBody() {
            @Override
            public int length() {
                return 1 + count * 16;
            }

            @Override
            public void writeTo(ByteBuf out) {
                out.writeByte(FrameType.ACK);
                for (int i = 0; i < count * 2; i++) {
                    out.writeLong(ids[i]);
                }
            }
        });
        peer.ackCount = 0;
    }
}
