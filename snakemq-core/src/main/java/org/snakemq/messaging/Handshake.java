package org.snakemq.messaging;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.snakemq.callback.Callbacks;
import org.snakemq.internal.LogBudget;
import org.snakemq.link.Connection;
import org.snakemq.link.Transport;
import org.snakemq.packeter.Packeter;

/**
 * A connection's way from connected to identified, and its end (PROTOCOL.md part B): the frames sent
 * on connect, the peer's protocol version and capabilities, the checks of its identity (with the
 * {@link IdentityVerifier}, takeovers), the limit on accepted connections not yet identified, and
 * what connecting and disconnecting mean to the other parts. Threads: the callbacks of the packeter
 * on the loop thread; the verifier is set and the counters and identities are read from any thread.
 */
final class Handshake {

    private static final Logger log = LoggerFactory.getLogger("snakemq.messaging");

    private final Packeter packeter;
    private final Transport transport;
    private final MessagingOptions options;
    private final Inbound inbound;
    private final Outgoing outgoing;
    private final Acknowledgements acknowledgements;
    private final ProtocolErrors errors;
    private final Callbacks<PeerListener> onConnect;
    private final Callbacks<PeerListener> onDisconnect;
    private final byte[] identificationFrame;
    private volatile IdentityVerifier identityVerifier;
    // loop thread only
    private final Map<Connection, PeerConnection> peers;
    private final Map<String, PeerConnection> byIdentity;
    /** Accepted connections not yet identified; written on the loop thread only. */
    private volatile int unidentified;
    // written on the loop thread, read by any
    private final Set<String> connectedIdentities = ConcurrentHashMap.newKeySet();
    private final LongAdder refusedUnidentified = new LongAdder();
    private final LogBudget refusalLog = new LogBudget(20, Duration.ofSeconds(1));

    /**
     * @param identity   this side's identity, as announced
     * @param peers      the live connections, which this class adds and removes
     * @param byIdentity the identified peers, which this class adds and removes
     */
    Handshake(String identity, Packeter packeter, MessagingOptions options, Map<Connection, PeerConnection> peers,
              Map<String, PeerConnection> byIdentity, Inbound inbound, Outgoing outgoing,
              Acknowledgements acknowledgements, ProtocolErrors errors, Callbacks<PeerListener> onConnect,
              Callbacks<PeerListener> onDisconnect) {
        this.packeter = packeter;
        this.transport = packeter.transport();
        this.options = options;
        this.peers = peers;
        this.byIdentity = byIdentity;
        this.inbound = inbound;
        this.outgoing = outgoing;
        this.acknowledgements = acknowledgements;
        this.errors = errors;
        this.onConnect = onConnect;
        this.onDisconnect = onDisconnect;
        this.identificationFrame = FrameCodec.identification(identity);
    }

    /** Any thread; set before the link runs. */
    void setIdentityVerifier(IdentityVerifier verifier) {
        this.identityVerifier = verifier;
    }

    /** Any thread. */
    long refusedUnidentified() {
        return refusedUnidentified.sum();
    }

    /** Any thread. */
    int unidentifiedConnections() {
        return unidentified;
    }

    /** Any thread. */
    boolean isConnected(String identity) {
        return connectedIdentities.contains(identity);
    }

    /** Any thread. */
    Set<String> connectedPeers() {
        return Set.copyOf(connectedIdentities);
    }

    /**
     * A connection is open: one accepted beyond the limit of unidentified ones is closed; otherwise the
     * protocol version, capabilities and identification go out, and packets stay small until the peer
     * identified itself.
     */
    void connected(Connection connection) {
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
        PeerConnection peer = new PeerConnection(connection, PeerConnection.nowMillis());
        if (accepted) {
            peer.countedUnidentified = true;
            unidentified++;
        }
        peers.put(connection, peer);
        packeter.setMaxPacketSize(connection, options.maxIdentificationPacket());
        packeter.send(connection, FrameCodec.protocolVersion());
        int capabilities = FrameType.CAP_HEADERS | (options.acknowledgements()
                ? FrameType.CAP_ACK | FrameType.CAP_ACK_UPTO | FrameType.CAP_FIRST_SENDS : 0);
        packeter.send(connection, FrameCodec.capabilities(capabilities));
        packeter.send(connection, identificationFrame);
    }

    /** A connection is closed (or taken over): an identified peer's in-flight messages are queued again. */
    void disconnected(Connection connection) {
        PeerConnection peer = peers.remove(connection);
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
        acknowledgements.disconnected(peer);
        outgoing.disconnected(peer);
        log.info("{} disconnected", peer);
        onDisconnect.fire(l -> l.on(connection, peer.identity));
    }

    private void releaseUnidentified(PeerConnection peer) {
        if (peer.countedUnidentified) {
            peer.countedUnidentified = false;
            unidentified--;
        }
    }

    void versionReceived(PeerConnection peer, Frame.ProtocolVersion version) {
        if (version.version() != FrameType.VERSION) {
            log.warn("{} speaks protocol version {}, not {}; closing", peer, version.version(), FrameType.VERSION);
            packeter.send(peer.connection, FrameCodec.incompatibleProtocol());
            errors.fail(peer, "incompatible protocol version " + version.version());
        }
    }

    /** What the peer announces counts only before it identified itself. */
    void capabilitiesReceived(PeerConnection peer, Frame.Capabilities capabilities) {
        if (!peer.isIdentified()) {
            peer.peerAcknowledges = (capabilities.bits() & FrameType.CAP_ACK) != 0;
            peer.peerAcksUpTo = peer.peerAcknowledges && (capabilities.bits() & FrameType.CAP_ACK_UPTO) != 0;
            peer.peerTakesHeaders = (capabilities.bits() & FrameType.CAP_HEADERS) != 0;
            peer.peerTakesFirstSends = options.acknowledgements() && peer.peerAcknowledges
                    && (capabilities.bits() & FrameType.CAP_FIRST_SENDS) != 0;
        }
    }

    /**
     * The peer announced its identity: refused (the connection fails) or accepted, taking it over from
     * an older connection when a verifier vouches for it; once accepted, its queue is pumped.
     */
    void identified(PeerConnection peer, Frame.Identification frame) {
        if (peer.isIdentified()) {
            log.debug("{} identified itself again; ignored", peer);
            return;
        }
        String ident = frame.identity();
        if (frame.malformed()) {
            String reason = "identity is not valid UTF-8; bad bytes replaced: " + LogSafe.text(ident);
            log.warn("{}: {}", peer.connection, reason);
            errors.report(peer.connection, reason);
        }
        if (ident.isEmpty()) {
            errors.fail(peer, "empty identity");
            return;
        }
        if (ident.codePointCount(0, ident.length()) > Messaging.MAX_IDENTITY_LENGTH) {
            errors.fail(peer, "identity longer than " + Messaging.MAX_IDENTITY_LENGTH + " characters");
            return;
        }
        IdentityVerifier verifier = identityVerifier;
        List<X509Certificate> chain = peer.connection.peerCertificates();
        byte[] certificateKey = chain.isEmpty() ? null : chain.get(0).getPublicKey().getEncoded();
        String refusal = refusal(peer, ident, verifier, certificateKey);
        if (refusal != null) {
            errors.fail(peer, refusal);
            return;
        }
        PeerConnection existing = byIdentity.get(ident);
        if (existing != null) {
            log.info("{} takes over identity {} from {}", peer.connection, LogSafe.text(ident), existing.connection);
            existing.closing = true;
            disconnected(existing.connection);
            transport.disconnect(existing.connection);
        }
        peer.identity = ident;
        peer.certificateKey = certificateKey;
        releaseUnidentified(peer);
        boolean acknowledged = acknowledgements.acknowledged(peer);
        inbound.identified(peer, acknowledged);
        byIdentity.put(ident, peer);
        connectedIdentities.add(ident);
        acknowledgements.identified(peer);
        packeter.setMaxPacketSize(peer.connection, packeter.maxPacketSize());
        outgoing.identified(peer);
        log.info("{} identified as {}{}", peer.connection, LogSafe.text(ident), acknowledged ? " (acknowledging)" : "");
        onConnect.fire(l -> l.on(peer.connection, ident));
        outgoing.pump(peer);
    }

    /** Why the identity is refused on this connection, or null when it is accepted. */
    private String refusal(PeerConnection peer, String ident, IdentityVerifier verifier, byte[] certificateKey) {
        String refused = "identity " + LogSafe.text(ident) + " refused: ";
        if (options.requireVerifiedIdentity()) {
            if (verifier == null) {
                return refused + "verified identities are required (requireVerifiedIdentity) and no identity"
                        + " verifier is set";
            }
            if (!peer.connection.isSecure() || certificateKey == null) {
                return refused + "verified identities are required (requireVerifiedIdentity) and the connection"
                        + " has no peer certificate";
            }
        }
        if (verifier != null) {
            String refusal = verifier.refusal(peer.connection, ident);
            if (refusal != null) {
                return refused + refusal;
            }
        }
        PeerConnection existing = byIdentity.get(ident);
        if (existing == null) {
            return null;
        }
        if (verifier == null) {
            return "identity " + LogSafe.text(ident) + " is already connected on " + existing.connection;
        }
        if (options.requireVerifiedIdentity() && !Arrays.equals(existing.certificateKey, certificateKey)) {
            return refused + "it is held by " + existing.connection + ", identified with another certificate key;"
                    + " a takeover needs the same key (requireVerifiedIdentity)";
        }
        return null;
    }
}
