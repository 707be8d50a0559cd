package org.snakemq.message;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * An immutable message: its data, a time to live, flags and a unique id.
 *
 * <p>The TTL counts down only while the destination peer is disconnected; {@code null} means the
 * message never expires. A TTL of zero means "deliver only over a live connection". For speed the
 * data array is not copied: do not modify it after handing the message to {@code send}.
 *
 * @param uuid  the 16-byte message id, random ({@link MessageIds#random()}) when created through the factories
 * @param data  the payload
 * @param ttl   time to live, {@code null} for infinite
 * @param flags bit set, see {@link #FLAG_PERSISTENT}
 * @param headers string headers, {@link Headers#EMPTY} for none; they reach only snakemq-java peers
 *                (see {@link Headers})
 */
public record Message(UUID uuid, byte[] data, Duration ttl, int flags, Headers headers) {

    /** The sender stores the message in its persistent queue until it is delivered. */
    public static final int FLAG_PERSISTENT = 0x1;

    public Message {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(headers, "headers");
        if (ttl != null && ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative: " + ttl);
        }
    }

    /** A message without headers. */
    public Message(UUID uuid, byte[] data, Duration ttl, int flags) {
        this(uuid, data, ttl, flags, Headers.EMPTY);
    }

    /** A transient message with infinite TTL and a random id. */
    public static Message of(byte[] data) {
        return new Message(MessageIds.random(), data, null, 0);
    }

    /** A transient message holding the UTF-8 bytes of {@code text}. */
    public static Message of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of this message with the given TTL ({@code null} for infinite). */
    public Message withTtl(Duration newTtl) {
        return new Message(uuid, data, newTtl, flags, headers);
    }

    /** A copy of this message with the given flags. */
    public Message withFlags(int newFlags) {
        return new Message(uuid, data, ttl, newFlags, headers);
    }

    /** A copy of this message with the given headers. */
    public Message withHeaders(Headers newHeaders) {
        return new Message(uuid, data, ttl, flags, newHeaders);
    }

    /** A copy of this message with header {@code name} set to {@code value}. */
    public Message withHeader(String name, String value) {
        return new Message(uuid, data, ttl, flags, headers.with(name, value));
    }

    /** A copy of this message flagged {@link #FLAG_PERSISTENT}. */
    public Message persistent() {
        return withFlags(flags | FLAG_PERSISTENT);
    }

    public boolean isPersistent() {
        return (flags & FLAG_PERSISTENT) != 0;
    }

    /** The data decoded as UTF-8. */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m
                && uuid.equals(m.uuid)
                && flags == m.flags
                && Objects.equals(ttl, m.ttl)
                && headers.equals(m.headers)
                && Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
        return uuid.hashCode();
    }

    @Override
    public String toString() {
        return "Message[uuid=" + uuid + ", " + data.length + " bytes, ttl=" + (ttl == null ? "inf" : ttl)
                + ", flags=0x" + Integer.toHexString(flags)
                + (headers.isEmpty() ? "" : ", " + headers.size() + " headers") + "]";
    }
}
