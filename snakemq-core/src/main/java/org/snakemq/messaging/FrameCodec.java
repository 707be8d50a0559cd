package org.snakemq.messaging;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.netty.buffer.ByteBuf;

import org.snakemq.message.HeaderBlock;
import org.snakemq.message.Headers;
import org.snakemq.message.Message;
import org.snakemq.packeter.ProtocolException;

/**
 * Encodes and decodes frames ({@code [1-byte type][payload]}) exactly as PROTOCOL.md part B and C
 * describe. Stateless and thread-safe.
 */
final class FrameCodec {

    private FrameCodec() {
    }

    /** PROTOCOL_VERSION carrying {@link FrameType#VERSION}. */
    public static byte[] protocolVersion() {
        return ByteBuffer.allocate(5).put((byte) FrameType.PROTOCOL_VERSION).putInt(FrameType.VERSION).array();
    }

    public static byte[] incompatibleProtocol() {
        return new byte[] {FrameType.INCOMPATIBLE_PROTOCOL};
    }

    /** IDENTIFICATION with the identity as UTF-8. */
    public static byte[] identification(String identity) {
        byte[] text = identity.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[1 + text.length];
        frame[0] = FrameType.IDENTIFICATION;
        System.arraycopy(text, 0, frame, 1, text.length);
        return frame;
    }

    public static byte[] ping() {
        return new byte[] {FrameType.PING};
    }

    public static byte[] pong() {
        return new byte[] {FrameType.PONG};
    }

    public static byte[] capabilities(int bits) {
        return ByteBuffer.allocate(5).put((byte) FrameType.CAPABILITIES).putInt(bits).array();
    }

    /** FIRST_SENDS: whether the MESSAGE frames that follow are sent for the first time. */
    public static byte[] firstSends(boolean fresh) {
        return new byte[] {FrameType.FIRST_SENDS, (byte) (fresh ? 1 : 0)};
    }

    public static byte[] ackUpTo(long count, long high, long low) {
        return ByteBuffer.allocate(25).put((byte) FrameType.ACK_UPTO).putLong(count).putLong(high).putLong(low).array();
    }

    /** A whole MESSAGE frame as bytes. */
    public static byte[] message(Message message) {
        ByteBuffer out = ByteBuffer.allocate(1 + FrameType.MESSAGE_HEADER + message.data().length);
        out.put((byte) FrameType.MESSAGE)
                .putLong(message.uuid().getMostSignificantBits())
                .putLong(message.uuid().getLeastSignificantBits())
                .putInt((int) ttlField(message.ttl()))
                .putInt(message.flags())
                .put(message.data());
        return out.array();
    }

    /**
     * A whole MESSAGE_WITH_HEADERS frame as bytes: the MESSAGE header, the header block, the data.
     * Only for a peer that announced {@link FrameType#CAP_HEADERS}.
     */
    public static byte[] messageWithHeaders(Message message) {
        byte[] block = HeaderBlock.encode(message.headers());
        ByteBuffer out = ByteBuffer.allocate(1 + FrameType.MESSAGE_HEADER + block.length + message.data().length);
        out.put((byte) FrameType.MESSAGE_WITH_HEADERS)
                .putLong(message.uuid().getMostSignificantBits())
                .putLong(message.uuid().getLeastSignificantBits())
                .putInt((int) ttlField(message.ttl()))
                .putInt(message.flags())
                .put(block)
                .put(message.data());
        return out.array();
    }

    /** The TTL field for a TTL: whole seconds (fraction cut off), or {@link FrameType#TTL_INFINITE}. */
    public static long ttlField(Duration ttl) {
        if (ttl == null) {
            return FrameType.TTL_INFINITE;
        }
        return Math.min(ttl.getSeconds(), FrameType.TTL_INFINITE - 1);
    }

    /** The TTL field for a TTL in milliseconds (negative = infinite). */
    static long ttlFieldMillis(long ttlMillis) {
        if (ttlMillis < 0) {
            return FrameType.TTL_INFINITE;
        }
        return Math.min(ttlMillis / 1000, FrameType.TTL_INFINITE - 1);
    }

    /**
     * Decodes one frame, consuming the buffer's readable bytes.
     *
     * @throws ProtocolException when the frame is broken (empty, wrong size for its type)
     */
    public static Frame decode(ByteBuf packet) throws ProtocolException {
        if (!packet.isReadable()) {
            throw new ProtocolException("empty frame");
        }
        int type = packet.readUnsignedByte();
        return switch (type) {
            case FrameType.PROTOCOL_VERSION -> {
                requireExactly(packet, 4, "PROTOCOL_VERSION");
                yield new Frame.ProtocolVersion(packet.readUnsignedInt());
            }
            case FrameType.INCOMPATIBLE_PROTOCOL -> {
                packet.skipBytes(packet.readableBytes());
                yield new Frame.IncompatibleProtocol();
            }
            case FrameType.IDENTIFICATION -> decodeIdentification(packet);
            case FrameType.MESSAGE -> new Frame.MessageFrame(decodeMessage(packet));
            case FrameType.MESSAGE_WITH_HEADERS -> new Frame.MessageWithHeaders(decodeMessageWithHeaders(packet));
            case FrameType.PING -> {
                packet.skipBytes(packet.readableBytes());
                yield new Frame.Ping();
            }
            case FrameType.PONG -> {
                packet.skipBytes(packet.readableBytes());
                yield new Frame.Pong();
            }
            case FrameType.CAPABILITIES -> {
                requireExactly(packet, 4, "CAPABILITIES");
                yield new Frame.Capabilities(packet.readInt());
            }
            case FrameType.ACK -> new Frame.Ack(decodeAck(packet));
            case FrameType.FIRST_SENDS -> {
                requireExactly(packet, 1, "FIRST_SENDS");
                int value = packet.readUnsignedByte();
                if (value > 1) {
                    throw new ProtocolException("FIRST_SENDS value " + value + " is neither 0 nor 1");
                }
                yield new Frame.FirstSends(value == 1);
            }
            case FrameType.ACK_UPTO -> {
                requireExactly(packet, 24, "ACK_UPTO");
                yield new Frame.AckUpTo(packet.readLong(), packet.readLong(), packet.readLong());
            }
            default -> {
                packet.skipBytes(packet.readableBytes());
                yield new Frame.Unknown(type);
            }
        };
    }

    static Message decodeMessage(ByteBuf packet) throws ProtocolException {
        if (packet.readableBytes() < FrameType.MESSAGE_HEADER) {
            throw new ProtocolException("MESSAGE frame of " + packet.readableBytes()
                    + " bytes is shorter than its 24-byte header");
        }
        byte[] lead = new byte[MESSAGE_LEAD];
        packet.getBytes(packet.readerIndex(), lead, 1, FrameType.MESSAGE_HEADER);
        Message message = decodeMessage(lead, packet, packet.readerIndex() + FrameType.MESSAGE_HEADER);
        packet.skipBytes(packet.readableBytes());
        return message;
    }

    static Message decodeMessageWithHeaders(ByteBuf packet) throws ProtocolException {
        int size = packet.readableBytes();
        if (size < FrameType.MESSAGE_HEADER + 2) {
            throw new ProtocolException("MESSAGE_WITH_HEADERS frame of " + size
                    + " bytes is shorter than its 24-byte header and 2-byte header count");
        }
        byte[] lead = new byte[MESSAGE_LEAD];
        packet.getBytes(packet.readerIndex(), lead, 1, FrameType.MESSAGE_HEADER);
        int blockIndex = packet.readerIndex() + FrameType.MESSAGE_HEADER;
        ByteBuffer block = packet.nioBuffer(blockIndex, packet.writerIndex() - blockIndex);
        int start = block.position();
        Headers headers;
        try {
            headers = HeaderBlock.decode(block);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("MESSAGE_WITH_HEADERS: " + e.getMessage());
        }
        Message message = decodeMessage(lead, packet, blockIndex + block.position() - start);
        packet.skipBytes(packet.readableBytes());
        return message.withHeaders(headers);
    }

    /** Bytes a MESSAGE packet starts with: the type byte and the 24-byte header. */
    static final int MESSAGE_LEAD = 1 + FrameType.MESSAGE_HEADER;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /**
     * Decodes a MESSAGE whose header is in {@code lead[1..25)} (byte 0 is the frame type) and whose
     * data runs from {@code dataIndex} to the end of {@code packet}. Reading the header from an array
     * and the data in one copy touches the buffer twice, where field-by-field reads pay Netty's
     * reference-count check on every field.
     */
    static Message decodeMessage(byte[] lead, ByteBuf packet, int dataIndex) {
        long msb = (long) LONGS.get(lead, 1);
        long lsb = (long) LONGS.get(lead, 9);
        long ttl = Integer.toUnsignedLong((int) INTS.get(lead, 17));
        int flags = (int) INTS.get(lead, 21);
        byte[] data = new byte[packet.writerIndex() - dataIndex];
        packet.getBytes(dataIndex, data);
        return new Message(new UUID(msb, lsb), data,
                ttl == FrameType.TTL_INFINITE ? null : Duration.ofSeconds(ttl), flags);
    }

    private static Frame.Identification decodeIdentification(ByteBuf packet) {
        byte[] bytes = new byte[packet.readableBytes()];
        packet.readBytes(bytes);
        try {
            String strict = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return new Frame.Identification(strict, false);
        } catch (CharacterCodingException e) {
            return new Frame.Identification(new String(bytes, StandardCharsets.UTF_8), true);
        }
    }

    private static List<UUID> decodeAck(ByteBuf packet) throws ProtocolException {
        int size = packet.readableBytes();
        if (size == 0 || size % 16 != 0) {
            throw new ProtocolException("ACK frame of " + size + " bytes is not a whole number of UUIDs");
        }
        List<UUID> uuids = new ArrayList<>(size / 16);
        while (packet.isReadable()) {
            uuids.add(new UUID(packet.readLong(), packet.readLong()));
        }
        return uuids;
    }

    private static void requireExactly(ByteBuf packet, int size, String frame) throws ProtocolException {
        if (packet.readableBytes() != size) {
            throw new ProtocolException(frame + " frame must carry " + size + " bytes, got " + packet.readableBytes());
        }
    }
}
