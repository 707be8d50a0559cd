package org.snakemq.messaging;

import java.util.Map;

import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.snakemq.link.Connection;
import org.snakemq.message.Message;
import org.snakemq.packeter.Packeter;
import org.snakemq.packeter.ProtocolException;

/**
 * Decodes each packet a peer sends and hands the frame to the part whose job it is: the handshake,
 * the acknowledgements, or {@link Inbound} for messages; answers PING. A MESSAGE takes a fast path
 * that skips the general decoder. Loop thread only.
 */
final class FrameDispatch {

    private static final Logger log = LoggerFactory.getLogger("snakemq.messaging");

    private final Packeter packeter;
    private final Handshake handshake;
    private final Acknowledgements acknowledgements;
    private final Inbound inbound;
    private final ProtocolErrors errors;
    /** The live connections. */
    private final Map<Connection, PeerConnection> peers;
    /** Scratch for the start of each received packet. */
    private final byte[] lead = new byte[FrameCodec.MESSAGE_LEAD];
    /** The peer {@link #packetReceived} served last. */
    private PeerConnection lastReceiver;

    FrameDispatch(Packeter packeter, Map<Connection, PeerConnection> peers, Handshake handshake,
                  Acknowledgements acknowledgements, Inbound inbound, ProtocolErrors errors) {
        this.packeter = packeter;
        this.peers = peers;
        this.handshake = handshake;
        this.acknowledgements = acknowledgements;
        this.inbound = inbound;
        this.errors = errors;
    }

    void packetReceived(Connection connection, ByteBuf packet) {
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
            errors.fail(peer, e.getMessage());
        }
    }

    /**
     * The connection is closed: forget it as the last one served. (A connection taken over is not
     * told; the packet that took it over came from the other connection, so it is not the last one.)
     */
    void disconnected(Connection connection) {
        if (lastReceiver != null && lastReceiver.connection == connection) {
            lastReceiver = null;
        }
    }

    private void frameReceived(PeerConnection peer, Frame frame) {
        if (frame instanceof Frame.ProtocolVersion version) {
            handshake.versionReceived(peer, version);
        } else if (frame instanceof Frame.IncompatibleProtocol) {
            errors.fail(peer, "peer reports an incompatible protocol");
        } else if (frame instanceof Frame.Capabilities capabilities) {
            handshake.capabilitiesReceived(peer, capabilities);
        } else if (frame instanceof Frame.Identification identification) {
            handshake.identified(peer, identification);
        } else if (frame instanceof Frame.Ping) {
            packeter.send(peer.connection, FrameCodec.pong());
        } else if (frame instanceof Frame.Ack ack) {
            acknowledgements.received(peer, ack.uuids());
        } else if (frame instanceof Frame.FirstSends firstSends) {
            peer.receivingFirstSends = firstSends.fresh(); // trusted only where both sides acknowledge
        } else if (frame instanceof Frame.AckUpTo upTo) {
            acknowledgements.upToReceived(peer, upTo);
        } else if (frame instanceof Frame.MessageFrame message) {
            messageReceived(peer, message.message());
        } else if (frame instanceof Frame.MessageWithHeaders message) {
            if (!peer.peerTakesHeaders) {
                errors.fail(peer, "MESSAGE_WITH_HEADERS from a peer that did not announce headers (CAPABILITIES 0x4)");
                return;
            }
            messageReceived(peer, message.message());
        } else if (frame instanceof Frame.Unknown unknown) {
            log.debug("{} sent unknown frame type {}; ignored", peer, unknown.type());
        }
        // PONG: any packet is a sign of life, nothing else to do
    }

    private void messageReceived(PeerConnection peer, Message message) {
        if (!peer.isIdentified()) {
            errors.fail(peer, "MESSAGE before identification");
            return;
        }
        inbound.messageReceived(peer, message, acknowledgements.acknowledged(peer));
    }
}
