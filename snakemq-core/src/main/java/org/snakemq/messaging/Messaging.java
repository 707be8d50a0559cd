package org.snakemq.messaging;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.snakemq.callback.Callbacks;
import org.snakemq.internal.LogBudget;
import org.snakemq.link.Connection;
import org.snakemq.link.Transport;
import org.snakemq.message.Message;
import org.snakemq.packeter.ErrorListener;
import org.snakemq.packeter.PacketBody;
import org.snakemq.packeter.Packeter;
import org.snakemq.packeter.ProtocolException;
import org.snakemq.storage.QueuesStorage;
import org.snakemq.storage.StoredMessage;

/**
 * Addressed messages between identified peers: the handshake, one FIFO queue per destination
 * identity, TTLs, keepalive, persistent queues, and acknowledged delivery between peers of this
 * project (PROTOCOL.md parts B and C).
 *
 * <pre>{@code
 * Link link = new Link();
 * Messaging messaging = new Messaging("bob", "", new Packeter(link));
 * messaging.onMessageReceived().add((conn, ident, message) -> System.out.println(ident + ": " + message.text()));
 * link.addListener(new InetSocketAddress(4000));
 * messaging.send("alice", Message.of("hello").withTtl(Duration.ofMinutes(10)));
 * link.loop();
 * }</pre>
 *
 * <p>At most {@link MessagingOptions#maxUnidentified()} accepted connections may be open without
 * having identified themselves; one beyond is closed as it connects, counted in
 * {@link #refusedUnidentified()} and logged at WARN (at most 20 lines a second).
 *
 * <p>Threads: every callback runs on the link's loop thread; a slow callback delays the whole stack,
 * so hand long work to an executor. {@link #send} is thread-safe and never waits for the network
 * (a persistent message waits until it is stored).
 */
public final class Messaging implements AutoCloseable {

    /** The longest identity, in characters; a longer own identity is cut, as the original does. */
    public static final int MAX_IDENTITY_LENGTH = 50;

    private static final Logger log = LoggerFactory.getLogger("snakemq.messaging");
    private static final int DRAIN_BATCH = 65_536;

    private final String identity;
    private final String domain;
    private final Packeter packeter;
    /** Scratch for the start of each received packet; loop thread only. */
    private final byte[] lead = new byte[FrameCodec.MESSAGE_LEAD];
    private final Transport transport;
    private final QueuesStorage storage;
    private final MessagingOptions options;
    private volatile IdentityVerifier identityVerifier;

    // loop thread only
    private final Map<Connection, PeerConnection> peers = new HashMap<>();
    private final Inbound inbound;
    private final Map<String, PeerConnection> byIdentity = new HashMap<>();
    private final List<PeerConnection> toPump = new ArrayList<>();
    /** Accepted connections not yet identified; written on the loop thread only. */
    private volatile int unidentified;
    /** The peer {@link #packetReceived} served last. */
    private PeerConnection lastReceiver;
    // read by other threads for metrics and isConnected
    private final Map<String, OutQueue> queues = new ConcurrentHashMap<>();
    private final Set<String> connectedIdentities = ConcurrentHashMap.newKeySet();
    private final LongAdder refusedUnidentified = new LongAdder();
    private final LogBudget refusalLog = new LogBudget(20, Duration.ofSeconds(1));
    /** Peers that break the protocol may reconnect and do it again at any rate. */
    private final LogBudget protocolLog = new LogBudget(20, Duration.ofSeconds(1));

    /** Envelopes handed over by {@link #send} and {@link #sendAll}, one array per call. */
    private final ConcurrentLinkedQueue<Envelope[]> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final byte[] identificationFrame;

    private final Callbacks<MessageListener> onMessageReceived = new Callbacks<>("on_message_recv", log);
    private final Callbacks<MessageSentListener> onMessageSent = new Callbacks<>("on_message_sent", log);
    private final Callbacks<MessageDropListener> onMessageDropped = new Callbacks<>("on_message_drop", log);
    private final Callbacks<PeerListener> onConnect = new Callbacks<>("on_connect", log);
    private final Callbacks<PeerListener> onDisconnect = new Callbacks<>("on_disconnect", log);
    private final Callbacks<ErrorListener> onError = new Callbacks<>("on_error", log);

    /** Messaging without persistent queues. */
    public Messaging(String identity, String domain, Packeter packeter) {
        this(identity, domain, packeter, null, MessagingOptions.defaults());
    }

    /** Messaging with persistent queues; stored messages are loaded now. */
    public Messaging(String identity, String domain, Packeter packeter, QueuesStorage storage) {
        this(identity, domain, packeter, storage, MessagingOptions.defaults());
    }

    /**
     * @param identity this peer's identity (cut to {@value #MAX_IDENTITY_LENGTH} characters)
     * @param domain   unused, as in the original
     * @param storage  persistent queues, or null
     */
    public Messaging(String identity, String domain, Packeter packeter, QueuesStorage storage,
                     MessagingOptions options) {
        Objects.requireNonNull(identity, "identity");
        if (identity.isEmpty()) {
            throw new IllegalArgumentException("identity must not be empty");
        }
        if (identity.length() > MAX_IDENTITY_LENGTH) {
            log.warn("identity {} is longer than {} characters; cut", identity, MAX_IDENTITY_LENGTH);
            identity = identity.substring(0, MAX_IDENTITY_LENGTH);
        }
        this.identity = identity;
        this.domain = domain;
        this.packeter = Objects.requireNonNull(packeter, "packeter");
        this.transport = packeter.transport();
        this.storage = storage;
        this.options = Objects.requireNonNull(options, "options");
        this.identificationFrame = FrameCodec.identification(identity);
        this.inbound = new Inbound(packeter, options, onMessageReceived, peers);
        if (storage != null) {
            loadStored(storage.loadAll());
        }
        packeter.onConnect().add(this::connected);
        packeter.onDisconnect().add(this::disconnected);
        packeter.onPacketReceived().add(this::packetReceived);
        packeter.onPacketsSent().add(this::packetsSent);
        packeter.onReadyToSend().add(c -> {
            PeerConnection peer = peers.get(c);
            if (peer != null) {
                pump(peer);
            }
        });
        packeter.onError().add((c, e) -> onError.fire(l -> l.onError(c, e)));
        transport.onLoopPass().add(this::loopPass);
    }

    public String identity() {
        return identity;
    }

    /** The routing domain; unused, as in the original. */
    public String domain() {
        return domain;
    }

    public Packeter packeter() {
        return packeter;
    }

    public Transport transport() {
        return transport;
    }

    public MessagingOptions options() {
        return options;
    }

    /** The persistent storage, or null. */
    public QueuesStorage storage() {
        return storage;
    }

    /**
     * Checks announced identities, for example against TLS certificates. Set before the link runs.
     * With {@link MessagingOptions#requireVerifiedIdentity()} every identification is refused until a
     * verifier is set, and on connections without a peer certificate.
     */
    public void setIdentityVerifier(IdentityVerifier verifier) {
        this.identityVerifier = verifier;
    }

    /**
     * Routes received messages through a gate that decides when each is acknowledged: only once the
     * gate reports it complete (see {@link InboundGate}). {@code org.snakemq.delivery.Deliveries}
     * installs itself here. Call before the link runs; at most one gate per messaging.
     */
    public void setInboundGate(InboundGate gate) {
        inbound.setGate(gate);
    }

    // ---------------------------------------------------------------- callbacks

    public Callbacks<MessageListener> onMessageReceived() {
        return onMessageReceived;
    }

    public Callbacks<MessageSentListener> onMessageSent() {
        return onMessageSent;
    }

    public Callbacks<MessageDropListener> onMessageDropped() {
        return onMessageDropped;
    }

    public Callbacks<PeerListener> onConnect() {
        return onConnect;
    }

    public Callbacks<PeerListener> onDisconnect() {
        return onDisconnect;
    }

    /** A peer broke the protocol; the connection is being closed. */
    public Callbacks<ErrorListener> onError() {
        return onError;
    }

    // ---------------------------------------------------------------- sending

    /**
     * Queues a message for a peer. Thread-safe; never waits for the network. A
     * {@linkplain Message#isPersistent() persistent} message is stored first (when this messaging has
     * a storage) and this method returns once it is durable.
     *
     * @throws org.snakemq.storage.StorageException when a persistent message could not be stored;
     *                                              it is then not queued either
     */
    public void send(String destination, Message message) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(message, "message");
        long key = 0;
        if (storage != null && message.isPersistent()) {
            key = storage.push(destination, message);
        }
        enqueue(new Envelope[] {new Envelope(destination, message, key)});
    }

    /**
     * Queues several messages for one peer, in order; persistent ones are stored in one batch.
     * Thread-safe.
     */
    public void sendAll(String destination, List<Message> messages) {
        Objects.requireNonNull(destination, "destination");
        List<Message> persistent = new ArrayList<>();
        if (storage != null) {
            for (Message message : messages) {
                if (message.isPersistent()) {
                    persistent.add(message);
                }
            }
        }
        long[] keys = persistent.isEmpty() ? new long[0] : storage.pushAll(destination, persistent);
        Envelope[] batch = new Envelope[messages.size()];
        int next = 0;
        for (int i = 0; i < batch.length; i++) {
            Message message = messages.get(i);
            long key = storage != null && message.isPersistent() ? keys[next++] : 0;
            batch[i] = new Envelope(destination, message, key);
        }
        if (batch.length > 0) {
            enqueue(batch);
        }
    }

    /**
     * Queues a message that is stored already under {@code storageKey} (written in the application's
     * transaction with {@code TransactionalQueuesStorage.pushIn}, which committed). Thread-safe.
     * Call once per stored message; the message is deleted from storage once delivered.
     */
    public void enqueueStored(String destination, Message message, long storageKey) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(message, "message");
        if (storage == null || storageKey <= 0) {
            throw new IllegalArgumentException("a stored message needs the messaging's storage and its key");
        }
        enqueue(new Envelope[] {new Envelope(destination, message, storageKey)});
    }

    /** Whether a peer with this identity is connected and identified now. Thread-safe. */
    public boolean isConnected(String peerIdentity) {
        return connectedIdentities.contains(peerIdentity);
    }

    /**
     * Accepted connections closed at once because {@link MessagingOptions#maxUnidentified()} others
     * had not identified themselves yet, since this messaging was made. Thread-safe.
     */
    public long refusedUnidentified() {
        return refusedUnidentified.sum();
    }

    /** Accepted connections open now that have not identified themselves yet. Thread-safe. */
    public int unidentifiedConnections() {
        return unidentified;
    }

    /** Identities of the peers connected now. Thread-safe. */
    public Set<String> connectedPeers() {
        return Set.copyOf(connectedIdentities);
    }

    /**
     * Messages waiting for a peer (queued, not yet confirmed). Thread-safe but approximate while the
     * loop runs.
     */
    public int queueSize(String peerIdentity) {
        OutQueue queue = queues.get(peerIdentity);
        return queue == null ? 0 : queue.size();
    }

    /** Queue sizes of every destination; approximate while the loop runs. */
    public Map<String, Integer> queueSizes() {
        Map<String, Integer> sizes = new HashMap<>();
        queues.forEach((name, queue) -> sizes.put(name, queue.size()));
        return sizes;
    }

    /**
     * Sends every pending acknowledgement and queued packet, then closes every connection. Messages
     * still queued stay queued (and stored). Thread-safe; the returned future completes on the loop
     * thread once every connection was asked to close.
     */
    public java.util.concurrent.CompletableFuture<Void> disconnectAll() {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        transport.execute(() -> {
            for (PeerConnection peer : new ArrayList<>(peers.values())) {
                inbound.flushAcks(peer);
                peer.closing = true;
                packeter.closeAfterFlush(peer.connection);
            }
            done.complete(null);
        });
        return done;
    }

    /** Writes what the storage still holds in memory to disk; call before closing the storage. */
    @Override
    public void close() {
        if (storage != null) {
            storage.flush();
        }
    }

    /** Hands envelopes for one destination to the loop thread, which takes the whole array in one poll. */
    private void enqueue(Envelope[] batch) {
        inbox.add(batch);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            transport.execute(this::drain);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        long now = now();
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

    private void loadStored(List<StoredMessage> stored) {
        long now = now();
        for (StoredMessage row : stored) {
            Envelope envelope = new Envelope(row.queue(), row.message(), row.key());
            queue(row.queue(), now).push(envelope, now);
        }
        if (!stored.isEmpty()) {
            log.info("loaded {} stored messages for {} peers", stored.size(), queues.size());
        }
    }

    private void pump(PeerConnection peer) {
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
            long id = packeter.send(connection, envelope.headers.isEmpty() ? envelope : withHeaders(peer, envelope));
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

    /** The frame for an envelope with headers: MESSAGE_WITH_HEADERS, or a plain MESSAGE for a peer without them. */
    private PacketBody withHeaders(PeerConnection peer, Envelope envelope) {
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

    private boolean acknowledged(PeerConnection peer) {
        return options.acknowledgements() && peer.peerAcknowledges;
    }

    /** The queue that counts the peer's in-flight messages, or null (none before identification). */
    private OutQueue inFlightQueue(PeerConnection peer) {
        return peer.isIdentified() ? queues.get(peer.identity) : null;
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

    private void packetsSent(Connection connection, long firstId, long lastId) {
        PeerConnection peer = peers.get(connection);
        if (peer == null) {
            return;
        }
        if (!acknowledged(peer)) {
            OutQueue queue = inFlightQueue(peer);
            while (!peer.inFlight.isEmpty() && peer.inFlight.peekFirst().packetId <= lastId) {
                confirmed(peer, queue, peer.inFlight.pollFirst());
            }
            pump(peer);
        }
    }

    // ---------------------------------------------------------------- connections

    private void connected(Connection connection) {
        boolean accepted = connection.side() == Connection.Side.LISTENER;
        if (accepted && unidentified >= options.maxUnidentified()) {
            refusedUnidentified.increment();
            long suppressed = refusalLog.tryAcquire();
            if (suppressed >= 0) {
                log.warn("{}: {} accepted connections have not identified themselves yet, the maximum"
                        + " (maxUnidentified); closing{}", connection, unidentified, LogBudget.suffix(suppressed));
            }
            transport.disconnect(connection);
            return;
        }
        PeerConnection peer = new PeerConnection(connection, now());
        if (accepted) {
            peer.countedUnidentified = true;
            unidentified++;
        }
        peers.put(connection, peer);
        packeter.setMaxPacketSize(connection, options.maxIdentificationPacket());
        packeter.send(connection, FrameCodec.protocolVersion());
        int capabilities = FrameType.CAP_HEADERS
                | (options.acknowledgements() ? FrameType.CAP_ACK | FrameType.CAP_ACK_UPTO : 0);
        packeter.send(connection, FrameCodec.capabilities(capabilities));
        packeter.send(connection, identificationFrame);
    }

    private void disconnected(Connection connection) {
        PeerConnection peer = peers.remove(connection);
        if (lastReceiver == peer) {
            lastReceiver = null;
        }
        if (peer == null) {
            return;
        }
        releaseUnidentified(peer);
        inbound.disconnected(peer);
        if (!peer.isIdentified() || byIdentity.get(peer.identity) != peer) {
            return;
        }
        byIdentity.remove(peer.identity);
        connectedIdentities.remove(peer.identity);
        long now = now();
        OutQueue queue = queue(peer.identity, now);
        if (!peer.inFlight.isEmpty()) {
            queue.requeueFront(new ArrayList<>(peer.inFlight));
            peer.inFlight.clear();
        }
        queue.disconnect(now);
        log.info("{} disconnected", peer);
        onDisconnect.fire(l -> l.on(connection, peer.identity));
    }

    private void releaseUnidentified(PeerConnection peer) {
        if (peer.countedUnidentified) {
            peer.countedUnidentified = false;
            unidentified--;
        }
    }

    private void packetReceived(Connection connection, ByteBuf packet) {
        PeerConnection peer = lastReceiver;
        if (peer == null || peer.connection != connection) {
            // packets come in runs from one connection: skip the map lookup within a run
            peer = peers.get(connection);
            lastReceiver = peer;
        }
        if (peer == null || peer.closing) {
            return;
        }
        peer.heard = true; // the timer pass turns this into a time: reading the clock costs ~30 ns
        try {
            if (packet.readableBytes() >= FrameCodec.MESSAGE_LEAD) {
                packet.getBytes(packet.readerIndex(), lead);
                if (lead[0] == FrameType.MESSAGE) {
                    int dataIndex = packet.readerIndex() + FrameCodec.MESSAGE_LEAD;
                    messageReceived(peer, FrameCodec.decodeMessage(lead, packet, dataIndex));
                    return;
                }
            }
            frameReceived(peer, FrameCodec.decode(packet));
        } catch (ProtocolException e) {
            fail(peer, e.getMessage());
        }
    }

    private void frameReceived(PeerConnection peer, Frame frame) {
        if (frame instanceof Frame.ProtocolVersion version) {
            if (version.version() != FrameType.VERSION) {
                log.warn("{} speaks protocol version {}, not {}; closing", peer, version.version(),
                        FrameType.VERSION);
                packeter.send(peer.connection, FrameCodec.incompatibleProtocol());
                fail(peer, "incompatible protocol version " + version.version());
            }
        } else if (frame instanceof Frame.IncompatibleProtocol) {
            fail(peer, "peer reports an incompatible protocol");
        } else if (frame instanceof Frame.Capabilities capabilities) {
            if (!peer.isIdentified()) {
                peer.peerAcknowledges = (capabilities.bits() & FrameType.CAP_ACK) != 0;
                peer.peerAcksUpTo = peer.peerAcknowledges && (capabilities.bits() & FrameType.CAP_ACK_UPTO) != 0;
                peer.peerTakesHeaders = (capabilities.bits() & FrameType.CAP_HEADERS) != 0;
            }
        } else if (frame instanceof Frame.Identification identification) {
            identified(peer, identification);
        } else if (frame instanceof Frame.Ping) {
            packeter.send(peer.connection, FrameCodec.pong());
        } else if (frame instanceof Frame.Ack ack) {
            acknowledgementsReceived(peer, ack.uuids());
        } else if (frame instanceof Frame.AckUpTo upTo) {
            acknowledgedUpTo(peer, upTo);
        } else if (frame instanceof Frame.MessageFrame message) {
            messageReceived(peer, message.message());
        } else if (frame instanceof Frame.MessageWithHeaders message) {
            if (!peer.peerTakesHeaders) {
                fail(peer, "MESSAGE_WITH_HEADERS from a peer that did not announce headers (CAPABILITIES 0x4)");
                return;
            }
            messageReceived(peer, message.message());
        } else if (frame instanceof Frame.Unknown unknown) {
            log.debug("{} sent unknown frame type {}; ignored", peer, unknown.type());
        }
        // PONG: any packet is a sign of life, nothing else to do
    }

    private void identified(PeerConnection peer, Frame.Identification frame) {
        if (peer.isIdentified()) {
            log.debug("{} identified itself again; ignored", peer);
            return;
        }
        String ident = frame.identity();
        if (frame.malformed()) {
            String reason = "identity is not valid UTF-8; bad bytes replaced: " + LogSafe.text(ident);
            log.warn("{}: {}", peer.connection, reason);
            onError.fire(l -> l.onError(peer.connection, new ProtocolException(reason)));
        }
        if (ident.isEmpty()) {
            fail(peer, "empty identity");
            return;
        }
        if (ident.codePointCount(0, ident.length()) > MAX_IDENTITY_LENGTH) {
            fail(peer, "identity longer than " + MAX_IDENTITY_LENGTH + " characters");
            return;
        }
        IdentityVerifier verifier = identityVerifier;
        List<X509Certificate> chain = peer.connection.peerCertificates();
        byte[] certificateKey = chain.isEmpty() ? null : chain.get(0).getPublicKey().getEncoded();
        if (options.requireVerifiedIdentity()) {
            if (verifier == null) {
                fail(peer, "identity " + LogSafe.text(ident) + " refused: verified identities are required"
                        + " (requireVerifiedIdentity) and no identity verifier is set");
                return;
            }
            if (!peer.connection.isSecure() || certificateKey == null) {
                fail(peer, "identity " + LogSafe.text(ident) + " refused: verified identities are required"
                        + " (requireVerifiedIdentity) and the connection has no peer certificate");
                return;
            }
        }
        if (verifier != null) {
            String refusal = verifier.refusal(peer.connection, ident);
            if (refusal != null) {
                fail(peer, "identity " + LogSafe.text(ident) + " refused: " + refusal);
                return;
            }
        }
        PeerConnection existing = byIdentity.get(ident);
        if (existing != null) {
            if (verifier == null) {
                fail(peer, "identity " + LogSafe.text(ident) + " is already connected on " + existing.connection);
                return;
            }
            if (options.requireVerifiedIdentity() && !Arrays.equals(existing.certificateKey, certificateKey)) {
                fail(peer, "identity " + LogSafe.text(ident) + " refused: it is held by " + existing.connection
                        + ", identified with another certificate key; a takeover needs the same key"
                        + " (requireVerifiedIdentity)");
                return;
            }
            log.info("{} takes over identity {} from {}", peer.connection, LogSafe.text(ident), existing.connection);
            existing.closing = true;
            disconnected(existing.connection);
            transport.disconnect(existing.connection);
        }
        peer.identity = ident;
        peer.certificateKey = certificateKey;
        releaseUnidentified(peer);
        inbound.identified(peer, acknowledged(peer));
        byIdentity.put(ident, peer);
        connectedIdentities.add(ident);
        packeter.setMaxPacketSize(peer.connection, packeter.maxPacketSize());
        long now = now();
        OutQueue queue = queue(ident, now);
        List<Envelope> changed = queue.connect(now, this::dropped);
        if (storage != null && !changed.isEmpty()) {
            List<QueuesStorage.TtlUpdate> updates = new ArrayList<>(changed.size());
            for (Envelope envelope : changed) {
                updates.add(new QueuesStorage.TtlUpdate(envelope.storageKey, envelope.ttl()));
            }
            storage.updateTtls(updates);
        }
        log.info("{} identified as {}{}", peer.connection, LogSafe.text(ident), acknowledged(peer) ? " (acknowledging)" : "");
        onConnect.fire(l -> l.on(peer.connection, ident));
        pump(peer);
    }

    private void messageReceived(PeerConnection peer, Message message) {
        if (!peer.isIdentified()) {
            fail(peer, "MESSAGE before identification");
            return;
        }
        inbound.messageReceived(peer, message, acknowledged(peer));
    }

    /** Confirms every in-flight message up to the one the peer names by its count and id. */
    private void acknowledgedUpTo(PeerConnection peer, Frame.AckUpTo ack) {
        if (!peer.isIdentified()) {
            fail(peer, "ACK_UPTO before identification");
            return;
        }
        if (ack.count() < 1 || ack.count() > peer.messagesSent) {
            fail(peer, "ACK_UPTO for message " + ack.count() + " of the " + peer.messagesSent + " sent");
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
            fail(peer, "ACK_UPTO names message " + ack.count() + " with another id");
            return;
        }
        OutQueue queue = inFlightQueue(peer);
        Envelope head;
        while ((head = peer.inFlight.peekFirst()) != null && head.sequence <= ack.count()) {
            confirmed(peer, queue, peer.inFlight.pollFirst());
        }
        pump(peer);
    }

    private void acknowledgementsReceived(PeerConnection peer, List<UUID> uuids) {
        if (!peer.isIdentified()) {
            fail(peer, "ACK before identification");
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
        pump(peer);
    }

    private void fail(PeerConnection peer, String reason) {
        if (peer.closing) {
            return;
        }
        long suppressed = protocolLog.tryAcquire();
        if (suppressed >= 0) {
            log.warn("{}: {}; closing{}", peer, reason, LogBudget.suffix(suppressed));
        }
        peer.closing = true;
        ProtocolException error = new ProtocolException(reason);
        onError.fire(l -> l.onError(peer.connection, error));
        packeter.closeAfterFlush(peer.connection);
    }

    // ---------------------------------------------------------------- timers

    private void loopPass() {
        long now = now();
        long handshakeTimeout = options.handshakeTimeout().toMillis();
        long keepaliveInterval = options.keepaliveInterval() == null ? -1 : options.keepaliveInterval().toMillis();
        long keepaliveWait = options.keepaliveWait().toMillis();
        for (PeerConnection peer : new ArrayList<>(peers.values())) {
            if (peer.closing) {
                continue;
            }
            if (peer.heard) {
                // any packet is a sign of life, an answer to PING included
                peer.heard = false;
                peer.lastReceivedMillis = now;
                peer.pingSentMillis = 0;
            }
            if (!peer.isIdentified()) {
                if (now - peer.connectedAtMillis > handshakeTimeout) {
                    fail(peer, "no identification within " + options.handshakeTimeout());
                }
                continue;
            }
            if (keepaliveInterval < 0) {
                continue;
            }
            if (peer.pingSentMillis == 0) {
                if (now - peer.lastReceivedMillis >= keepaliveInterval) {
                    peer.pingSentMillis = now;
                    packeter.send(peer.connection, FrameCodec.ping());
                }
            } else if (now - peer.pingSentMillis >= keepaliveWait) {
                fail(peer, "no answer to PING within " + options.keepaliveWait());
            }
        }
        for (OutQueue queue : queues.values()) {
            queue.expire(now, this::dropped);
        }
    }

    private static long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    @Override
    public String toString() {
        return "Messaging[" + identity + "]";
    }
}
