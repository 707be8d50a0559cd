package org.snakemq.messaging;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import org.snakemq.link.Connection;

/** What Messaging knows about one connection. Loop thread only. */
final class PeerConnection {

    final Connection connection;
    final long connectedAtMillis;
    /** The peer's identity once it identified itself. */
    String identity;
    /**
     * The encoded public key of the certificate the peer identified with, or null (plaintext, or no
     * certificate); a takeover of the identity must show the same key when verified identities are
     * required.
     */
    byte[] certificateKey;
    /** Whether the peer announced acknowledgements before identifying itself. */
    boolean peerAcknowledges;
    /** Whether the peer understands cumulative acknowledgements (ACK_UPTO). */
    boolean peerAcksUpTo;
    /** Whether the peer announced MESSAGE_WITH_HEADERS (CAP_HEADERS) before identifying itself. */
    boolean peerTakesHeaders;
    /** Whether the peer announced FIRST_SENDS (CAP_FIRST_SENDS) before identifying itself. */
    boolean peerTakesFirstSends;
    /** Sending: the FIRST_SENDS state last announced to the peer on this connection (false until one is sent). */
    boolean sendingFirstSends;
    /** Receiving: the FIRST_SENDS state the peer last announced on this connection. */
    boolean receivingFirstSends;
    /** Whether headers were left out of a message to this peer (logged once per connection). */
    boolean headersLeftOut;
    /** MESSAGE frames received on this connection. */
    long messagesReceived;
    /** The sequence number and id the next ACK_UPTO names. */
    long ackUpTo;
    long lastReceivedHigh;
    long lastReceivedLow;
    /** MESSAGE frames sent on this connection. */
    long messagesSent;
    boolean closing;
    /** Counted among the accepted connections not yet identified (MessagingOptions.maxUnidentified). */
    boolean countedUnidentified;
    /** What is remembered of this peer's identity as a sender (shared by its successive connections). */
    InboundSender inbound;
    /** With an inbound gate: which received messages are done, for cumulative acknowledgements. */
    CompletedSequences completions;
    /** Reading stopped because the inbound gate is full. */
    boolean readPaused;
    /** When the last packet arrived, as of the timer pass that followed it. */
    long lastReceivedMillis;
    /** A packet arrived since the last timer pass. */
    boolean heard;
    /** When the outstanding PING was sent, 0 when none is outstanding. */
    long pingSentMillis;
    /** Sent, not yet confirmed (acknowledged, or written for a peer that does not acknowledge), in order. */
    final ArrayDeque<Envelope> inFlight = new ArrayDeque<>();
    /** Ids of delivered messages still to acknowledge, as pairs of longs (unused with ACK_UPTO). */
    long[] acks = new long[0];
    int ackCount;
    boolean ackFlushScheduled;

    PeerConnection(Connection connection, long nowMillis) {
        this.connection = connection;
        this.connectedAtMillis = nowMillis;
        this.lastReceivedMillis = nowMillis;
    }

    /** The clock of the millisecond fields here and of {@link OutQueue}: monotonic, not wall time. */
    static long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    boolean isIdentified() {
        return identity != null;
    }

    void addAck(long high, long low) {
        if (acks.length < (ackCount + 1) * 2) {
            acks = java.util.Arrays.copyOf(acks, Math.max(64, acks.length * 2));
        }
        acks[ackCount * 2] = high;
        acks[ackCount * 2 + 1] = low;
        ackCount++;
    }

    @Override
    public String toString() {
        return connection + (identity != null ? "[" + LogSafe.text(identity) + "]" : "");
    }
}
