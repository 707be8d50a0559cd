package org.snakemq.spring;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.springframework.util.MimeType;

/**
 * How {@link SnakeMqTemplate} sends one message; immutable, each {@code with...} returns a copy.
 *
 * <pre>{@code
 * template.convertAndSend("billing", invoice, SendOptions.defaults()
 *         .withTtl(Duration.ofMinutes(10)).withPersistent(true).withHeader("tenant", "acme"));
 * }</pre>
 *
 * @param ttl         how long the message may wait for a disconnected peer, {@code null} for ever; zero
 *                    sends it only over a live connection
 * @param persistent  whether it is stored (with {@code snakemq.storage.type}) until the peer has it
 * @param contentType the MIME type to convert the payload to, {@code null} to let the converters choose
 *                    (JSON for objects, {@code text/plain;charset=UTF-8} for strings); a {@code byte[]} is
 *                    sent as it is, with this content type or none
 * @param headers     application headers, sent as they are (see {@link SnakeMqHeaderMapper#toWire})
 */
public record SendOptions(Duration ttl, boolean persistent, MimeType contentType, Map<String, String> headers) {

    private static final SendOptions DEFAULTS = new SendOptions(null, false, null, Map.of());

    public SendOptions {
        if (ttl != null && ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative: " + ttl);
        }
        Objects.requireNonNull(headers, "headers");
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("header names must not be empty");
            }
            copy.put(name, Objects.requireNonNull(value, () -> "value of header " + name));
        });
        headers = Collections.unmodifiableMap(copy);
    }

    /** No TTL (the message waits for ever), transient, converters choose the content type, no headers. */
    public static SendOptions defaults() {
        return DEFAULTS;
    }

    public SendOptions withTtl(Duration newTtl) {
        return new SendOptions(newTtl, persistent, contentType, headers);
    }

    public SendOptions withPersistent(boolean newPersistent) {
        return new SendOptions(ttl, newPersistent, contentType, headers);
    }

    public SendOptions withContentType(MimeType newContentType) {
        return new SendOptions(ttl, persistent, newContentType, headers);
    }

    /** With the content type parsed from {@code mimeType}, e.g. {@code "text/plain;charset=UTF-8"}. */
    public SendOptions withContentType(String mimeType) {
        return withContentType(MimeType.valueOf(mimeType));
    }

    /** With header {@code name} set to {@code value} (replacing an earlier value of that name). */
    public SendOptions withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new SendOptions(ttl, persistent, contentType, copy);
    }
}
