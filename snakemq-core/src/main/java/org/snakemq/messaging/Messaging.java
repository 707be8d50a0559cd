package org.snakemq.messaging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.snakemq.callback.Callbacks;
import org.snakemq.link.Connection;
import org.snakemq.link.Transport;
import org.snakemq.message.Message;
import org.snakemq.packeter.ErrorListener;
import org.snakemq.packeter.Packeter;
import org.snakemq.storage.QueuesStorage;

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
 *
 * <p>This class is the public face; the work is done by package-private parts it wires together:
 * {@code Handshake} (connect to identified, and disconnect), {@code FrameDispatch} (received packets),
 * {@code Outgoing} (queues and pump), {@code Acknowledgements} (confirming sent messages),
 * {@code Inbound} (received messages), {@code Timeouts} (handshake, keepalive and TTL timers) and
 * {@code ProtocolErrors}.
 */
public final class Messaging implements AutoCloseable {

    /** The longest identity, in characters; a longer own identity is cut, as the original does. */
    public static final int MAX_IDENTITY_LENGTH = 50;

    private static final Logger log = LoggerFactory.getLogger("snakemq.messaging");

    private final String identity;
    private final String domain;
    private final Packeter packeter;
    private final Transport transport;
    private final QueuesStorage storage;
    private final MessagingOptions options;

    // loop thread only (the parts below share them)
    private final Map<Connection, PeerConnection> peers = new HashMap<>();
    private final Map<String, PeerConnection> byIdentity = new HashMap<>();

    private final Inbound inbound;
    private final Outgoing outgoing;
    private final Acknowledgements acknowledgements;
    private final Handshake handshake;

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
        this.inbound = new Inbound(packeter, options, onMessageReceived, peers);
        ProtocolErrors errors = new ProtocolErrors(packeter, onError);
        this.outgoing = new Outgoing(packeter, options, storage, inbound, peers, byIdentity, onMessageDropped);
        this.acknowledgements = new Acknowledgements(options, storage, outgoing, errors, peers, onMessageSent);
        this.handshake = new Handshake(identity, packeter, options, peers, byIdentity, inbound, outgoing,
                acknowledgements, errors, onConnect, onDisconnect);
        FrameDispatch dispatch = new FrameDispatch(packeter, peers, handshake, acknowledgements, inbound, errors);
        Timeouts timeouts = new Timeouts(packeter, options, peers, outgoing, errors);
        if (storage != null) {
            outgoing.load(storage.loadAll());
        }
        packeter.onConnect().add(handshake::connected);
        packeter.onDisconnect().add(c -> {
            dispatch.disconnected(c);
            handshake.disconnected(c);
        });
        packeter.onPacketReceived().add(dispatch::packetReceived);
        packeter.onPacketsSent().add(acknowledgements::packetsSent);
        packeter.onReadyToSend().add(outgoing::writable);
        packeter.onError().add((c, e) -> onError.fire(l -> l.onError(c, e)));
        transport.onLoopPass().add(timeouts::loopPass);
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
        handshake.setIdentityVerifier(verifier);
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
        outgoing.enqueue(new Envelope[] {Envelope.of(destination, message, key)});
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
            batch[i] = Envelope.of(destination, message, key);
        }
        if (batch.length > 0) {
            outgoing.enqueue(batch);
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
        outgoing.enqueue(new Envelope[] {Envelope.of(destination, message, storageKey)});
    }

    /** Whether a peer with this identity is connected and identified now. Thread-safe. */
    public boolean isConnected(String peerIdentity) {
        return handshake.isConnected(peerIdentity);
    }

    /**
     * Whether the peer connected under this identity acknowledges messages (a peer of this project with
     * acknowledgements on both sides): its {@link #onMessageSent()} callbacks then mean "acknowledged",
     * otherwise "fully written". False while the peer is not connected. Thread-safe; asked from an
     * {@code onMessageSent} callback it describes the connection of that callback.
     */
    public boolean acknowledges(String peerIdentity) {
        return acknowledgements.acknowledges(peerIdentity);
    }

    /**
     * Accepted connections closed at once because {@link MessagingOptions#maxUnidentified()} others
     * had not identified themselves yet, since this messaging was made. Thread-safe.
     */
    public long refusedUnidentified() {
        return handshake.refusedUnidentified();
    }

    /** Accepted connections open now that have not identified themselves yet. Thread-safe. */
    public int unidentifiedConnections() {
        return handshake.unidentifiedConnections();
    }

    /** Identities of the peers connected now. Thread-safe. */
    public Set<String> connectedPeers() {
        return handshake.connectedPeers();
    }

    /**
     * Messages waiting for a peer (queued, not yet confirmed). Thread-safe but approximate while the
     * loop runs.
     */
    public int queueSize(String peerIdentity) {
        return outgoing.queueSize(peerIdentity);
    }

    /** Queue sizes of every destination; approximate while the loop runs. */
    public Map<String, Integer> queueSizes() {
        return outgoing.queueSizes();
    }

    /**
     * Messages of a peer's queue sent on its current connection and not yet confirmed (they count in
     * {@link #queueSize}). Thread-safe but approximate while the loop runs.
     */
    public int inFlight(String peerIdentity) {
        return outgoing.inFlight(peerIdentity);
    }

    /**
     * Sends a peer's pending acknowledgements and queued packets, then closes its connection; its
     * queue stays and its in-flight messages go back to the front, as on any disconnect. The peer
     * may connect again (and a connector of this side dials again). Thread-safe; the returned future
     * completes on the loop thread: true when the peer was connected.
     */
    public CompletableFuture<Boolean> disconnect(String peerIdentity) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        transport.execute(() -> {
            PeerConnection peer = byIdentity.get(peerIdentity);
            if (peer == null || peer.closing) {
                done.complete(false);
                return;
            }
            close(peer);
            done.complete(true);
        });
        return done;
    }

    /**
     * Removes every message waiting in a peer's queue that is not in flight; a stored one is deleted
     * from the storage, and each is reported to {@link #onMessageDropped}. Thread-safe; the returned
     * future completes on the loop thread with the number removed.
     */
    public CompletableFuture<Integer> purge(String peerIdentity) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        transport.execute(() -> done.complete(outgoing.purge(peerIdentity)));
        return done;
    }

    /**
     * Sends every pending acknowledgement and queued packet, then closes every connection. Messages
     * still queued stay queued (and stored). Thread-safe; the returned future completes on the loop
     * thread once every connection was asked to close.
     */
    public CompletableFuture<Void> disconnectAll() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        transport.execute(() -> {
            for (PeerConnection peer : new ArrayList<>(peers.values())) {
                close(peer);
            }
            done.complete(null);
        });
        return done;
    }

    /** Sends the peer's pending acknowledgements and queued packets, then closes its connection. */
    private void close(PeerConnection peer) {
        inbound.flushAcks(peer);
        peer.closing = true;
        packeter.closeAfterFlush(peer.connection);
    }

    /** Writes what the storage still holds in memory to disk; call before closing the storage. */
    @Override
    public void close() {
        if (storage != null) {
            storage.flush();
        }
    }

    @Override
    public String toString() {
        return "Messaging[" + identity + "]";
    }
}
