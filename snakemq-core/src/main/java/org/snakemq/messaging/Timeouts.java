package org.snakemq.messaging;

import java.util.ArrayList;
import java.util.Map;

import org.snakemq.link.Connection;
import org.snakemq.packeter.Packeter;

/**
 * The timers of messaging, checked once per loop pass: the handshake timeout of connections that
 * have not identified themselves, keepalive (PING after {@link MessagingOptions#keepaliveInterval()}
 * of silence, closing after {@link MessagingOptions#keepaliveWait()} without an answer), and the TTLs
 * of messages waiting for absent destinations. Loop thread only.
 */
final class Timeouts {

    private final Packeter packeter;
    private final MessagingOptions options;
    private final Map<Connection, PeerConnection> peers;
    private final Outgoing outgoing;
    private final ProtocolErrors errors;

    Timeouts(Packeter packeter, MessagingOptions options, Map<Connection, PeerConnection> peers, Outgoing outgoing,
             ProtocolErrors errors) {
        this.packeter = packeter;
        this.options = options;
        this.peers = peers;
        this.outgoing = outgoing;
        this.errors = errors;
    }

    void loopPass() {
        long now = PeerConnection.nowMillis();
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
                    errors.fail(peer, "no identification within " + options.handshakeTimeout());
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
                errors.fail(peer, "no answer to PING within " + options.keepaliveWait());
            }
        }
        outgoing.expire(now);
    }
}
