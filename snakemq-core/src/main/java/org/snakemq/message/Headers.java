package org.snakemq.message;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable, ordered string headers of a {@link Message}: content type, trace context, the
 * application's own keys. Travel only between snakemq-java peers that both announced the headers
 * capability; a peer of the original protocol gets the message without them.
 *
 * <p>Bounded so that neither side can be made to hold unbounded metadata: at most
 * {@link #MAX_COUNT} entries and {@link #MAX_ENCODED_BYTES} on the wire. Names are non-empty.
 * Names and values must be encodable as UTF-8 (no unpaired surrogates). Thread-safe.
 */
public final class Headers {

    /** Most entries a message may carry. */
    public static final int MAX_COUNT = 64;
    /** Most bytes the encoded header block may take: per entry two 2-byte lengths and the UTF-8 bytes. */
    public static final int MAX_ENCODED_BYTES = 16 * 1024;

    /** No headers. Shared: a message without headers holds no header objects of its own. */
    public static final Headers EMPTY = new Headers(new String[0], 0);

    private final String[] entries; // name0, value0, name1, value1, ...
    private final int encodedSize;

    private Headers(String[] entries, int encodedSize) {
        this.entries = entries;
        this.encodedSize = encodedSize;
    }

    /** Headers holding the entries of {@code map} in its iteration order. */
    public static Headers of(Map<String, String> map) {
        Objects.requireNonNull(map, "map");
        if (map.isEmpty()) {
            return EMPTY;
        }
        String[] entries = new String[map.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> entry : map.entrySet()) {
            entries[i++] = entry.getKey();
            entries[i++] = entry.getValue();
        }
        return checked(entries);
    }

    /** One entry. */
    public static Headers of(String name, String value) {
        return checked(new String[] {name, value});
    }

    /** These headers with {@code name} set to {@code value}, replacing an entry of the same name in place. */
    public Headers with(String name, String value) {
        int index = indexOf(name);
        String[] copy;
        if (index >= 0) {
            copy = entries.clone();
            copy[index + 1] = value;
        } else {
            copy = Arrays.copyOf(entries, entries.length + 2);
            copy[entries.length] = name;
            copy[entries.length + 1] = value;
        }
        return checked(copy);
    }

    /** These headers with all of {@code others} set, later ones replacing earlier ones of the same name. */
    public Headers withAll(Headers others) {
        Headers result = this;
        for (int i = 0; i < others.entries.length; i += 2) {
            result = result.with(others.entries[i], others.entries[i + 1]);
        }
        return result;
    }

    /** These headers without an entry named {@code name}. */
    public Headers without(String name) {
        int index = indexOf(name);
        if (index < 0) {
            return this;
        }
        if (entries.length == 2) {
            return EMPTY;
        }
        String[] copy = new String[entries.length - 2];
        System.arraycopy(entries, 0, copy, 0, index);
        System.arraycopy(entries, index + 2, copy, index, entries.length - index - 2);
        return checked(copy);
    }

    /** The value of {@code name}, or {@code null}. */
    public String get(String name) {
        int index = indexOf(name);
        return index < 0 ? null : entries[index + 1];
    }

    public boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    public int size() {
        return entries.length / 2;
    }

    public boolean isEmpty() {
        return entries.length == 0;
    }

    /** The entries as an unmodifiable map in their order. */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < entries.length; i += 2) {
            map.put(entries[i], entries[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** Name of entry {@code index} (0-based, in order). */
    public String name(int index) {
        return entries[index * 2];
    }

    /** Value of entry {@code index} (0-based, in order). */
    public String value(int index) {
        return entries[index * 2 + 1];
    }

    /** Bytes of the encoded block without its 2-byte count: per entry two 2-byte lengths and the UTF-8 bytes. */
    public int encodedSize() {
        return encodedSize;
    }

    private int indexOf(String name) {
        for (int i = 0; i < entries.length; i += 2) {
            if (entries[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static Headers checked(String[] entries) {
        int count = entries.length / 2;
        if (count > MAX_COUNT) {
            throw new IllegalArgumentException("too many headers: " + count + " (at most " + MAX_COUNT + ")");
        }
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        long size = 0;
        for (int i = 0; i < entries.length; i += 2) {
            String name = Objects.requireNonNull(entries[i], "header name");
            String value = Objects.requireNonNull(entries[i + 1], () -> "value of header " + name);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("header name must not be empty");
            }
            for (int j = 0; j < i; j += 2) {
                if (entries[j].equals(name)) {
                    throw new IllegalArgumentException("duplicate header name: " + name);
                }
            }
            size += 4L + utf8Length(encoder, name, "name") + utf8Length(encoder, value, "value of " + name);
            if (size > MAX_ENCODED_BYTES) {
                throw new IllegalArgumentException(
                        "headers take more than " + MAX_ENCODED_BYTES + " bytes encoded (at header " + name + ")");
            }
        }
        return new Headers(entries, (int) size);
    }

    private static int utf8Length(CharsetEncoder encoder, String text, String what) {
        try {
            return encoder.reset().encode(CharBuffer.wrap(text)).remaining();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("header " + what + " is not encodable as UTF-8", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers h && Arrays.equals(entries, h.entries);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(entries);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
