package org.snakemq.messaging;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Settings of {@link Messaging}. Immutable and thread-safe; start from {@link #defaults()} and change
 * what differs with the {@code with...} methods, each of which returns a new value.
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
 *                              (up to twice as many are); at most 2^28
 * @param requireVerifiedIdentity refuse every identification that is not bound to a verified TLS
 *                              certificate: without an {@link IdentityVerifier}, or on a connection
 *                              without a peer certificate; and refuse a connection that would take
 *                              over an identity held by a connection with another certificate key
 * @param maxUnidentified       the most accepted connections that have not yet identified
 *                              themselves; one beyond is closed at once
 * @param duplicateMemoryBudget the heap, in bytes, that the duplicate memory of all peers may take
 *                              together; when {@code duplicateMemory} ids for every peer that has sent
 *                              would not fit, each peer remembers its even share (at least 256 ids),
 *                              and a warning says so. 0 (the default) means a quarter of the JVM's
 *                              maximum heap
 */
public record MessagingOptions(Duration keepaliveInterval, Duration keepaliveWait, Duration handshakeTimeout,
                               int maxIdentificationPacket, boolean acknowledgements, int window,
                               int duplicateMemory, boolean requireVerifiedIdentity, int maxUnidentified,
                               long duplicateMemoryBudget) {

    public MessagingOptions {
        Objects.requireNonNull(keepaliveWait, "keepaliveWait");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (window <= 0 || duplicateMemory <= 0 || maxUnidentified <= 0 || maxIdentificationPacket < 64) {
            throw new IllegalArgumentException("window, duplicateMemory and maxUnidentified must be positive,"
                    + " maxIdentificationPacket at least 64");
        }
        if (duplicateMemoryBudget < 0) {
            throw new IllegalArgumentException("duplicateMemoryBudget must not be negative: " + duplicateMemoryBudget);
        }
        if (duplicateMemory > RecentIds.MAX_CAPACITY) {
            throw new IllegalArgumentException("duplicateMemory must be at most " + RecentIds.MAX_CAPACITY);
        }
    }

    /**
     * Keepalive off, keepalive wait 5 s, handshake timeout 10 s, 4 KiB before identification,
     * acknowledgements on, window 8,192 messages, at least the last 16,384 delivered ids remembered per
     * peer (twice the window: every message a reconnect can send again, with room for the deletes a
     * crashed sender had not yet committed), verified identities not required, at most 1,000 accepted
     * connections not yet identified, duplicate memory of all peers within a quarter of the heap.
     */
    public static MessagingOptions defaults() {
        return new MessagingOptions(null, Duration.ofSeconds(5), Duration.ofSeconds(10), 4096, true, 8192, 16_384,
                false, 1000, 0);
    }

    public MessagingOptions withKeepalive(Duration interval, Duration wait) {
        return copy(c -> {
            c.keepaliveInterval = interval;
            c.keepaliveWait = wait;
        });
    }

    public MessagingOptions withHandshakeTimeout(Duration value) {
        return copy(c -> c.handshakeTimeout = value);
    }

    public MessagingOptions withAcknowledgements(boolean value) {
        return copy(c -> c.acknowledgements = value);
    }

    public MessagingOptions withWindow(int value) {
        return copy(c -> c.window = value);
    }

    public MessagingOptions withDuplicateMemory(int value) {
        return copy(c -> c.duplicateMemory = value);
    }

    /** The heap in bytes that all peers' duplicate memory may take together; 0 for a quarter of the maximum heap. */
    public MessagingOptions withDuplicateMemoryBudget(long bytes) {
        return copy(c -> c.duplicateMemoryBudget = bytes);
    }

    /** {@link #duplicateMemoryBudget()} with 0 resolved to a quarter of this JVM's maximum heap. */
    long duplicateMemoryBudgetBytes() {
        return duplicateMemoryBudget > 0 ? duplicateMemoryBudget : Math.max(1, Runtime.getRuntime().maxMemory() / 4);
    }

    /**
     * Whether only identities bound to a verified certificate are accepted; needs an
     * {@link IdentityVerifier} such as {@link CertificateIdentityVerifier} and TLS listeners and
     * connectors that require and verify peer certificates.
     */
    public MessagingOptions withRequireVerifiedIdentity(boolean value) {
        return copy(c -> c.requireVerifiedIdentity = value);
    }

    /** The most accepted connections that may be open at once before they identify themselves. */
    public MessagingOptions withMaxUnidentified(int value) {
        return copy(c -> c.maxUnidentified = value);
    }

    /** These options with {@code change} applied; the canonical constructor checks the result. */
    private MessagingOptions copy(Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /** The settings as mutable fields, so that each {@code with...} method names only what it changes. */
    private static final class Copy {
        Duration keepaliveInterval;
        Duration keepaliveWait;
        Duration handshakeTimeout;
        int maxIdentificationPacket;
        boolean acknowledgements;
        int window;
        int duplicateMemory;
        boolean requireVerifiedIdentity;
        int maxUnidentified;
        long duplicateMemoryBudget;

        Copy(MessagingOptions from) {
            keepaliveInterval = from.keepaliveInterval;
            keepaliveWait = from.keepaliveWait;
            handshakeTimeout = from.handshakeTimeout;
            maxIdentificationPacket = from.maxIdentificationPacket;
            acknowledgements = from.acknowledgements;
            window = from.window;
            duplicateMemory = from.duplicateMemory;
            requireVerifiedIdentity = from.requireVerifiedIdentity;
            maxUnidentified = from.maxUnidentified;
            duplicateMemoryBudget = from.duplicateMemoryBudget;
        }

        MessagingOptions build() {
            return new MessagingOptions(keepaliveInterval, keepaliveWait, handshakeTimeout, maxIdentificationPacket,
                    acknowledgements, window, duplicateMemory, requireVerifiedIdentity, maxUnidentified,
                    duplicateMemoryBudget);
        }
    }
}
