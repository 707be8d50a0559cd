package org.snakemq.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.messaging.MessageHeaders;
import org.springframework.util.MimeType;

import org.snakemq.message.Headers;

/**
 * Maps between spring-messaging headers and the string headers of a snakeMQ message (names in
 * {@link SnakeMqHeaders}). Thread-safe (stateless).
 */
public final class SnakeMqHeaderMapper {

    private SnakeMqHeaderMapper() {
    }

    /**
     * The wire headers for an outgoing message: {@code contentType} becomes {@link SnakeMqHeaders#CONTENT_TYPE};
     * {@code id}, {@code timestamp} and the {@link SnakeMqHeaders#LOCAL_PREFIX} headers of a received
     * message stay behind; a value may be a {@code String}, a number, a {@code Boolean}, a
     * {@code Character}, a {@code UUID}, an enum constant or a {@code MimeType} and is sent as its text.
     *
     * @throws IllegalArgumentException for a name with {@link SnakeMqHeaders#RESERVED_PREFIX}, a value of
     *                                  another type, or headers beyond {@link Headers}' bounds
     */
    public static Headers toWire(Map<String, Object> headers) {
        Map<String, String> wire = new LinkedHashMap<>();
        Object contentType = null;
        for (Map.Entry<String, Object> entry : headers.entrySet()) {
            String name = entry.getKey();
            Object value = entry.getValue();
            if (name.equals(MessageHeaders.CONTENT_TYPE)) {
                contentType = value;
                continue;
            }
            if (value == null || name.equals(MessageHeaders.ID) || name.equals(MessageHeaders.TIMESTAMP)
                    || name.startsWith(SnakeMqHeaders.LOCAL_PREFIX)) {
                continue;
            }
            if (name.regionMatches(true, 0, SnakeMqHeaders.RESERVED_PREFIX, 0, SnakeMqHeaders.RESERVED_PREFIX.length())
                    || name.equalsIgnoreCase(SnakeMqHeaders.CONTENT_TYPE)) {
                throw new IllegalArgumentException("header " + name + ": names starting with "
                        + SnakeMqHeaders.RESERVED_PREFIX + " and " + SnakeMqHeaders.CONTENT_TYPE
                        + " are reserved (set the content type as " + MessageHeaders.CONTENT_TYPE + ")");
            }
            wire.put(name, text(name, value));
        }
        if (contentType != null) {
            wire.put(SnakeMqHeaders.CONTENT_TYPE, text(MessageHeaders.CONTENT_TYPE, contentType));
        }
        return wire.isEmpty() ? Headers.EMPTY : Headers.of(wire);
    }

    /**
     * The spring-messaging headers of a received message: its wire headers, {@link SnakeMqHeaders#CONTENT_TYPE}
     * as {@code contentType}. The caller adds {@link SnakeMqHeaders#PEER} and {@link SnakeMqHeaders#ATTEMPT}.
     */
    public static Map<String, Object> fromWire(Headers headers) {
        Map<String, Object> map = new LinkedHashMap<>(headers.size() * 2 + 4);
        String contentType = null;
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (name.equals(SnakeMqHeaders.CONTENT_TYPE)) {
                contentType = headers.value(i);
            } else if (!name.equals(MessageHeaders.ID) && !name.equals(MessageHeaders.TIMESTAMP)) {
                map.put(name, headers.value(i));
            }
        }
        if (contentType != null) {
            map.put(MessageHeaders.CONTENT_TYPE, contentType);
        }
        return map;
    }

    private static String text(String name, Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof Character
                || value instanceof UUID || value instanceof Enum<?> || value instanceof MimeType) {
            return value.toString();
        }
        throw new IllegalArgumentException("header " + name + " holds a " + value.getClass().getName()
                + "; snakeMQ headers are text: give a String (or a number, Boolean, UUID, enum, MimeType)");
    }
}
