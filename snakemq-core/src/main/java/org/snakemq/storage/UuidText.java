package org.snakemq.storage;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * The text form of a message UUID in the {@code items} table: its 16 bytes as 32 lowercase hex
 * digits, as the original snakeMQ stores it. Reading also accepts the base64 form of early snakeMQ
 * releases.
 */
final class UuidText {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private UuidText() {
    }

    /** The 32 lowercase hex digits of {@code uuid} as ASCII bytes. */
    static byte[] toHexBytes(UUID uuid) {
        byte[] out = new byte[32];
        putHex(out, 0, uuid.getMostSignificantBits());
        putHex(out, 16, uuid.getLeastSignificantBits());
        return out;
    }

    /** The 32 lowercase hex digits of {@code uuid}. */
    static String toHex(UUID uuid) {
        return new String(toHexBytes(uuid), StandardCharsets.US_ASCII);
    }

    /**
     * Parses a stored UUID.
     *
     * @throws IllegalArgumentException when it is neither 32 hex digits nor base64 of 16 bytes
     */
    static UUID parse(String text) {
        String trimmed = text.strip();
        if (trimmed.length() == 32) {
            return new UUID(parseHex(trimmed, 0), parseHex(trimmed, 16));
        }
        byte[] raw;
        try {
            raw = Base64.getMimeDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length != 16) {
            throw new IllegalArgumentException("not a 16-byte UUID in hex or base64: '" + abbreviate(text) + "'");
        }
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (raw[i] & 0xff);
            lsb = (lsb << 8) | (raw[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    private static void putHex(byte[] out, int at, long bits) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = HEX[(int) (bits & 0xf)];
            bits >>>= 4;
        }
    }

    private static long parseHex(String s, int from) {
        long bits = 0;
        for (int i = from; i < from + 16; i++) {
            int digit = Character.digit(s.charAt(i), 16);
            if (digit < 0) {
                throw new IllegalArgumentException("not a 16-byte UUID in hex: '" + abbreviate(s) + "'");
            }
            bits = (bits << 4) | digit;
        }
        return bits;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
