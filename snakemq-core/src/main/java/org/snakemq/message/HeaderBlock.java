package org.snakemq.message;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one encoding of {@link Headers}, on the wire (MESSAGE_WITH_HEADERS, docs/PROTOCOL.md) and in
 * storage: a 2-byte entry count, then per entry a 2-byte name length, the UTF-8 name, a 2-byte
 * value length and the UTF-8 value; all lengths unsigned big-endian.
 *
 * <p>Decoding trusts nothing: the count and the byte total are checked against
 * {@link Headers#MAX_COUNT} and {@link Headers#MAX_ENCODED_BYTES} before anything is read for them,
 * names and values must be valid UTF-8, names non-empty and distinct. A {@code QueuesStorage} or
 * {@code DeadLetterStore} of one's own keeps headers in this form. Stateless and thread-safe.
 */
public final class HeaderBlock {

    private HeaderBlock() {
    }

    /** Bytes of the encoded block of {@code headers}, count included. */
    public static int length(Headers headers) {
        return 2 + headers.encodedSize();
    }

    /** The encoded block of {@code headers}. */
    public static byte[] encode(Headers headers) {
        ByteBuffer out = ByteBuffer.allocate(length(headers));
        out.putShort((short) headers.size());
        for (int i = 0; i < headers.size(); i++) {
            putText(out, headers.name(i));
            putText(out, headers.value(i));
        }
        return out.array();
    }

    private static void putText(ByteBuffer out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8); // encodable: Headers checked it
        out.putShort((short) bytes.length).put(bytes);
    }

    /**
     * Decodes a block that fills {@code block} exactly.
     *
     * @throws IllegalArgumentException when the bytes are not one valid block, saying why
     */
    public static Headers decode(byte[] block) {
        ByteBuffer in = ByteBuffer.wrap(block);
        Headers headers = decode(in);
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("header block followed by " + in.remaining() + " stray bytes");
        }
        return headers;
    }

    /**
     * Decodes the block starting at the buffer's position and leaves the position just after it.
     *
     * @throws IllegalArgumentException when the bytes do not hold one valid block, saying why; the
     *                                  position is then undefined
     */
    public static Headers decode(ByteBuffer in) {
        try {
            int count = in.getShort() & 0xFFFF;
            if (count > Headers.MAX_COUNT) {
                throw new IllegalArgumentException("header block of " + count + " entries, more than the "
                        + Headers.MAX_COUNT + " allowed");
            }
            if (count == 0) {
                return Headers.EMPTY;
            }
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            Map<String, String> entries = new LinkedHashMap<>(count * 2);
            int[] total = {0};
            for (int i = 0; i < count; i++) {
                String name = text(in, decoder, total, "name of header " + i);
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("header " + i + " has an empty name");
                }
                String value = text(in, decoder, total, "value of header " + i);
                if (entries.put(name, value) != null) {
                    throw new IllegalArgumentException("duplicate header name at entry " + i);
                }
            }
            return Headers.of(entries);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("header block truncated", e);
        }
    }

    private static String text(ByteBuffer in, CharsetDecoder decoder, int[] total, String what) {
        int length = in.getShort() & 0xFFFF;
        total[0] += 2 + length;
        // the entries' bytes as Headers#encodedSize counts them: two lengths and the texts per entry
        if (total[0] > Headers.MAX_ENCODED_BYTES) {
            throw new IllegalArgumentException("header block larger than the " + Headers.MAX_ENCODED_BYTES
                    + " bytes allowed (at the " + what + ")");
        }
        if (length > in.remaining()) {
            throw new IllegalArgumentException("header block truncated: the " + what + " needs " + length
                    + " bytes, " + in.remaining() + " left");
        }
        ByteBuffer bytes = in.slice(in.position(), length);
        in.position(in.position() + length);
        try {
            CharBuffer chars = decoder.reset().decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the " + what + " is not valid UTF-8", e);
        }
    }
}
