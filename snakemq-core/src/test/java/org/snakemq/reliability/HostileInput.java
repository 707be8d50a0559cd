package org.snakemq.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generators of bad input for the fuzzers: well-formed frames and packet streams as seeds, and
 * mutations of them (bit flips, boundary values, truncation, splicing, rewritten length prefixes),
 * plus plain random bytes. Pure functions of the {@link Random} they are given.
 */
public final class HostileInput {

    private static final int[] INTERESTING_INTS = {0, 1, 2, 3, 4, 23, 24, 25, 0x7F, 0x80, 0xFF, 0x100, 4095, 4096,
            4097, 65_535, 65_536, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF};
    private static final byte[] INTERESTING_BYTES = {0, 1, 2, 3, 4, 5, 0x40, 0x41, 0x42, 0x43, 0x7F, (byte) 0x80,
            (byte) 0xC0, (byte) 0xC3, (byte) 0xED, (byte) 0xF0, (byte) 0xF4, (byte) 0xF8, (byte) 0xFE, (byte) 0xFF};

    private static final int[] INTERESTING_SHORTS = {0, 1, 2, 63, 64, 65, 0x7F, 0x80, 0xFF, 0x100, 0x3FFB, 0x3FFC,
            0x4000, 0x4001, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF};

    private HostileInput() {
    }

    // ---------------------------------------------------------------- frames

    /** One frame (packet payload): well-formed, nearly well-formed, or garbage. */
    public static byte[] frame(Random random) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return randomBytes(random, random.nextInt(64));
        }
        byte[] valid = validFrame(random);
        return kind < 4 ? valid : mutate(random, valid);
    }

    /** A frame that follows PROTOCOL.md parts B and C. */
    public static byte[] validFrame(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> ByteBuffer.allocate(5).put((byte) 0).putInt(random.nextInt(4) == 0 ? random.nextInt() : 1).array();
            case 1 -> new byte[] {1};
            case 2 -> concat(new byte[] {2}, identity(random));
            case 3 -> message(random);
            case 4 -> new byte[] {4};
            case 5 -> new byte[] {5};
            case 6 -> ByteBuffer.allocate(5).put((byte) 0x40).putInt(random.nextInt(3) == 0 ? random.nextInt() : 1).array();
            case 7 -> {
                int count = 1 + random.nextInt(4);
                ByteBuffer ack = ByteBuffer.allocate(1 + 16 * count).put((byte) 0x41);
                for (int i = 0; i < count; i++) {
                    ack.putLong(random.nextLong()).putLong(random.nextLong());
                }
                yield ack.array();
            }
            case 8 -> messageWithHeaders(random);
            default -> concat(new byte[] {(byte) (6 + random.nextInt(250))}, randomBytes(random, random.nextInt(32)));
        };
    }

    public static byte[] message(Random random) {
        byte[] data = randomBytes(random, random.nextInt(4) == 0 ? random.nextInt(2000) : random.nextInt(40));
        long ttl = switch (random.nextInt(4)) {
            case 0 -> 0xFFFF_FFFFL;
            case 1 -> 0;
            default -> random.nextInt(100_000);
        };
        return ByteBuffer.allocate(25 + data.length).put((byte) 3).putLong(random.nextLong()).putLong(random.nextLong())
                .putInt((int) ttl).putInt(random.nextInt()).put(data).array();
    }

    /** A MESSAGE_WITH_HEADERS frame: a MESSAGE with a header block between its header and its data. */
    public static byte[] messageWithHeaders(Random random) {
        byte[] message = message(random);
        message[0] = 0x43;
        return concat(concat(slice(message, 0, 25), headerBlock(random)), slice(message, 25, message.length));
    }

    /**
     * A header block: valid (few, many or large entries, multi-byte text) or carrying raw bytes that
     * are mostly not UTF-8.
     */
    public static byte[] headerBlock(Random random) {
        int count = switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 64;
            default -> 1 + random.nextInt(5);
        };
        boolean large = random.nextInt(8) == 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(2).putShort((short) count).array());
        for (int i = 0; i < count; i++) {
            byte[] name = (random.nextInt(8) == 0 ? "\u017e" + i : "h" + i).getBytes(StandardCharsets.UTF_8);
            byte[] value = switch (random.nextInt(6)) {
                case 0 -> new byte[0];
                case 1 -> randomBytes(random, 1 + random.nextInt(12)); // mostly invalid UTF-8
                case 2 -> "\uD83D\uDC0D".repeat(1 + random.nextInt(4)).getBytes(StandardCharsets.UTF_8);
                default -> ("v" + random.nextInt()).getBytes(StandardCharsets.UTF_8);
            };
            if (large && i == 0) {
                value = "x".repeat(16_000 + random.nextInt(400)).getBytes(StandardCharsets.UTF_8);
            }
            out.writeBytes(ByteBuffer.allocate(2).putShort((short) name.length).array());
            out.writeBytes(name);
            out.writeBytes(ByteBuffer.allocate(2).putShort((short) value.length).array());
            out.writeBytes(value);
        }
        return out.toByteArray();
    }

    /** The bytes of an identity: plain, long, multi-byte, empty, invalid UTF-8 or control characters. */
    public static byte[] identity(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> new byte[0];
            case 1 -> randomBytes(random, 1 + random.nextInt(80)); // mostly invalid UTF-8
            case 2 -> "x".repeat(45 + random.nextInt(12)).getBytes(StandardCharsets.UTF_8); // around 50
            case 3 -> "\u017e".repeat(45 + random.nextInt(12)).getBytes(StandardCharsets.UTF_8); // 2-byte chars
            case 4 -> "\uD83D\uDC0D".repeat(20 + random.nextInt(40)).getBytes(StandardCharsets.UTF_8); // 4-byte chars
            case 5 -> ("id\u0000" + random.nextInt(1000)).getBytes(StandardCharsets.UTF_8);
            case 6 -> concat("peer".getBytes(StandardCharsets.UTF_8),
                    new byte[] {INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)]});
            default -> ("peer-" + Integer.toHexString(random.nextInt())).getBytes(StandardCharsets.UTF_8);
        };
    }

    // ---------------------------------------------------------------- packet streams

    /** Packets framed as {@code [length][payload]}, back to back. */
    public static byte[] packets(List<byte[]> payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] payload : payloads) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(payload.length).array());
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    /** A byte stream of packets: valid, mutated (lengths included), or random bytes. */
    public static byte[] stream(Random random) {
        int kind = random.nextInt(8);
        if (kind == 0) {
            return randomBytes(random, random.nextInt(4096));
        }
        List<byte[]> payloads = new ArrayList<>();
        int count = random.nextInt(12);
        for (int i = 0; i < count; i++) {
            payloads.add(frame(random));
        }
        byte[] stream = packets(payloads);
        return kind < 3 ? stream : mutate(random, stream);
    }

    /** Splits {@code bytes} into random pieces, single bytes included. */
    public static List<byte[]> split(Random random, byte[] bytes) {
        List<byte[]> pieces = new ArrayList<>();
        int offset = 0;
        int mode = random.nextInt(4);
        while (offset < bytes.length) {
            int size = switch (mode) {
                case 0 -> 1;
                case 1 -> bytes.length - offset;
                default -> 1 + random.nextInt(Math.min(bytes.length - offset, 1 + random.nextInt(64)));
            };
            byte[] piece = new byte[size];
            System.arraycopy(bytes, offset, piece, 0, size);
            pieces.add(piece);
            offset += size;
        }
        return pieces;
    }

    // ---------------------------------------------------------------- mutations

    /** One to four random mutations of {@code input}. */
    public static byte[] mutate(Random random, byte[] input) {
        byte[] bytes = input.clone();
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            bytes = mutateOnce(random, bytes);
        }
        return bytes;
    }

    private static byte[] mutateOnce(Random random, byte[] bytes) {
        if (bytes.length == 0) {
            return randomBytes(random, 1 + random.nextInt(8));
        }
        int at = random.nextInt(bytes.length);
        switch (random.nextInt(9)) {
            case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
            case 8 -> {
                // a 2-byte length or count (header blocks) with a boundary value
                if (bytes.length - at >= 2) {
                    ByteBuffer.wrap(bytes).putShort(at, (short) INTERESTING_SHORTS[random.nextInt(INTERESTING_SHORTS.length)]);
                }
            }
            case 1 -> bytes[at] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
            case 2 -> {
                if (bytes.length - at >= 4) {
                    ByteBuffer.wrap(bytes).putInt(at, INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)]);
                }
            }
            case 3 -> {
                byte[] cut = new byte[at];
                System.arraycopy(bytes, 0, cut, 0, at);
                return cut;
            }
            case 4 -> {
                int length = 1 + random.nextInt(Math.min(32, bytes.length - at));
                byte[] out = new byte[bytes.length - length];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(bytes, at + length, out, at, bytes.length - at - length);
                return out;
            }
            case 5 -> {
                byte[] insert = randomBytes(random, 1 + random.nextInt(16));
                return concat(concat(slice(bytes, 0, at), insert), slice(bytes, at, bytes.length));
            }
            case 6 -> {
                int length = 1 + random.nextInt(Math.min(64, bytes.length - at));
                byte[] piece = slice(bytes, at, at + length);
                return concat(concat(slice(bytes, 0, at), piece), slice(bytes, at, bytes.length));
            }
            default -> {
                // rewrite a length prefix (the first 4 bytes) with a boundary value
                if (bytes.length >= 4) {
                    ByteBuffer.wrap(bytes).putInt(0, INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)]);
                }
            }
        }
        return bytes;
    }

    public static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        byte[] out = new byte[to - from];
        System.arraycopy(bytes, from, out, 0, to - from);
        return out;
    }
}
