package org.snakemq.messaging;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link Messaging}. Immutable; start from {@link #defaults()}.
 *
 * @param keepaliveInterval     send PING after this long without receiving anything; null = off
 *                              (the original's default)
 * @param keepaliveWait         close the connection when nothing arrives this long after a PING
 * @param handshakeTimeout      close a connection that has not identified itself within this time
 * @param maxIdentificationPacket the largest packet accepted before the peer identified itself
 * @param acknowledgements      whether to announce and use acknowledgements with peers that support
 *                              them (PROTOCOL.md part C)
 * @param window                the most unconfirmed messages in flight per connection
 * @param duplicateMemory       how many delivered message ids are at least remembered per peer
 *                              (up to twice as many are)
 * @param requireVerifiedIdentity refuse every identification that is not bound to a verified TLS
 *                              certificate: without an {@link IdentityVerifier}, or on a connection
 *                              without a peer certificate; and refuse a connection that would take
 *                              over an identity held by a connection with another certificate key
 * @param maxUnidentified       the most accepted connections that have not yet identified
 *                              themselves; one beyond is closed at once
 */
public record MessagingOptions(Duration keepaliveInterval, Duration keepaliveWait, Duration handshakeTimeout,
                               int maxIdentificationPacket, boolean acknowledgements, int window,
                               int duplicateMemory, boolean requireVerifiedIdentity, int maxUnidentified) {

    public MessagingOptions {
        Objects.requireNonNull(keepaliveWait, "keepaliveWait");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (window <= 0 || duplicateMemory <= 0 || maxUnidentified <= 0 || maxIdentificationPacket < 64) {
            throw new IllegalArgumentException("window, duplicateMemory and maxUnidentified must be positive,"
                    + " maxIdentificationPacket at least 64");
        }
    }

    /**
     * Keepalive off, keepalive wait 5 s, handshake timeout 10 s, 4 KiB before identification,
     * acknowledgements on, window 8,192 messages, at least the last 16,384 delivered ids remembered per
     * peer (twice the window: every message a reconnect can send again, with room for the deletes a
     * crashed sender had not yet committed), verified identities not required, at most 1,000 accepted connections not yet identified.
     */
    public static MessagingOptions defaults() {
        return new MessagingOptions(null, Duration.ofSeconds(5), Duration.ofSeconds(10), 4096, true, 8192, 16_384,
                false, 1000);
    }

    public MessagingOptions withKeepalive(Duration interval, Duration wait) {
        return new MessagingOptions(interval, wait, handshakeTimeout, maxIdentificationPacket, acknowledgements,
                window, duplicateMemory, requireVerifiedIdentity, maxUnidentified);
    }

    public MessagingOptions withHandshakeTimeout(Duration value) {
        return new MessagingOptions(keepaliveInterval, keepaliveWait, value, maxIdentificationPacket,
                acknowledgements, window, duplicateMemory, requireVerifiedIdentity, maxUnidentified);
    }

    public MessagingOptions withAcknowledgements(boolean value) {
        return new MessagingOptions(keepaliveInterval, keepaliveWait, handshakeTimeout, maxIdentificationPacket,
                value, window, duplicateMemory, requireVerifiedIdentity, maxUnidentified);
    }

    public MessagingOptions withWindow(int value) {
        return new MessagingOptions(keepaliveInterval, keepaliveWait, handshakeTimeout, maxIdentificationPacket,
                acknowledgements, value, duplicateMemory, requireVerifiedIdentity, maxUnidentified);
    }

    public MessagingOptions withDuplicateMemory(int value) {
        return new MessagingOptions(keepaliveInterval, keepaliveWait, handshakeTimeout, maxIdentificationPacket,
                acknowledgements, window, value, requireVerifiedIdentity, maxUnidentified);
    }

    /**
     * Whether only identities bound to a verified certificate are accepted; needs an
     * {@link IdentityVerifier} such as {@link CertificateIdentityVerifier} and TLS listeners and
     * connectors that require and verify peer certificates.
     */
    public MessagingOptions withRequireVerifiedIdentity(boolean value) {
        return new MessagingOptions(keepaliveInterval, keepaliveWait, handshakeTimeout, maxIdentificationPacket,
                acknowledgements, window, duplicateMemory, value, maxUnidentified);
    }

    /** The most accepted connections that may be open at once before they identify themselves. */
    public MessagingOptions withMaxUnidentified(int value) {
        return new MessagingOptions(keepaliveInterval, keepaliveWait, handshakeTimeout, maxIdentificationPacket,
                acknowledgements, window, duplicateMemory, requireVerifiedIdentity, value);
    }
}
