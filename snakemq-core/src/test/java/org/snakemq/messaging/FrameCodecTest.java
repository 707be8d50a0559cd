package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import org.snakemq.message.Message;
import org.snakemq.packeter.ProtocolException;

/** Frames against bytes written out by hand from PROTOCOL.md. */
class FrameCodecTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final UUID ID = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");

    private static Frame decode(String hex) throws ProtocolException {
        return FrameCodec.decode(Unpooled.wrappedBuffer(HEX.parseHex(hex)));
    }

    @Test
    void encodesEveryFrameOfProtocolOneByteForByte() {
        assertThat(HEX.formatHex(FrameCodec.protocolVersion())).isEqualTo("0000000001");
        assertThat(HEX.formatHex(FrameCodec.incompatibleProtocol())).isEqualTo("01");
        assertThat(HEX.formatHex(FrameCodec.identification("bob"))).isEqualTo("02626f62");
        assertThat(HEX.formatHex(FrameCodec.identification("žluť"))).isEqualTo("02c5be6c75c5a5");
        assertThat(HEX.formatHex(FrameCodec.ping())).isEqualTo("04");
        assertThat(HEX.formatHex(FrameCodec.pong())).isEqualTo("05");
    }

    @Test
    void encodesMessageWithInfiniteTtl() {
        Message message = new Message(ID, new byte[] {'h', 'i'}, null, 0);
        assertThat(HEX.formatHex(FrameCodec.message(message)))
                .isEqualTo("03" + "00112233445566778899aabbccddeeff" + "ffffffff" + "00000000" + "6869");
    }

    @Test
    void encodesMessageWithTtlTruncatedToWholeSecondsAndFlags() {
        Message message = new Message(ID, new byte[] {'x'}, Duration.ofMillis(600_900), Message.FLAG_PERSISTENT);
        assertThat(HEX.formatHex(FrameCodec.message(message)))
                .isEqualTo("03" + "00112233445566778899aabbccddeeff" + "00000258" + "00000001" + "78");
    }

    @Test
    void encodesExtensionFrames() {
        assertThat(HEX.formatHex(FrameCodec.capabilities(FrameType.CAP_ACK))).isEqualTo("4000000001");
    }

    @Test
    void decodesProtocolOneFramesFromSpecBytes() throws ProtocolException {
        assertThat(decode("0000000001")).isEqualTo(new Frame.ProtocolVersion(1));
        assertThat(decode("0000000002")).isEqualTo(new Frame.ProtocolVersion(2));
        assertThat(decode("01")).isEqualTo(new Frame.IncompatibleProtocol());
        assertThat(decode("02616c696365")).isEqualTo(new Frame.Identification("alice", false));
        assertThat(decode("04")).isEqualTo(new Frame.Ping());
        assertThat(decode("05")).isEqualTo(new Frame.Pong());
    }

    @Test
    void decodesMessageWithAndWithoutTtl() throws ProtocolException {
        Frame infinite = decode("03" + "00112233445566778899aabbccddeeff" + "ffffffff" + "00000000" + "6869");
        assertThat(((Frame.MessageFrame) infinite).message())
                .isEqualTo(new Message(ID, new byte[] {'h', 'i'}, null, 0));
        Frame finite = decode("03" + "00112233445566778899aabbccddeeff" + "0000003c" + "80000001");
        Message message = ((Frame.MessageFrame) finite).message();
        assertThat(message.ttl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(message.flags()).as("unknown flag bits carried through").isEqualTo(0x80000001);
        assertThat(message.data()).isEmpty();
    }

    @Test
    void theReceivePathDecodesMessagesFromACopiedLeadLikeTheGeneralDecoder() {
        for (String hex : List.of(
                "03" + "00112233445566778899aabbccddeeff" + "ffffffff" + "00000000" + "6869",
                "03" + "00112233445566778899aabbccddeeff" + "fffffffe" + "80000001",
                "03" + "00112233445566778899aabbccddeeff" + "0000003c" + "00000002" + "00ff00ff00")) {
            byte[] bytes = HexFormat.of().parseHex(hex);
            byte[] lead = java.util.Arrays.copyOf(bytes, FrameCodec.MESSAGE_LEAD);
            Message fast = FrameCodec.decodeMessage(lead, Unpooled.wrappedBuffer(bytes), FrameCodec.MESSAGE_LEAD);
            assertThat(fast).as(hex).isEqualTo(assertDecodesToMessage(bytes));
        }
    }

    private static Message assertDecodesToMessage(byte[] bytes) {
        try {
            return ((Frame.MessageFrame) FrameCodec.decode(Unpooled.wrappedBuffer(bytes))).message();
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void cumulativeAcknowledgementsByteForByte() throws ProtocolException {
        assertThat(HEX.formatHex(FrameCodec.capabilities(FrameType.CAP_ACK | FrameType.CAP_ACK_UPTO))).isEqualTo("4000000003");
        String hex = "42" + "0000000000000102" + "00112233445566778899aabbccddeeff";
        assertThat(HEX.formatHex(FrameCodec.ackUpTo(258, ID.getMostSignificantBits(), ID.getLeastSignificantBits())))
                .isEqualTo(hex);
        assertThat(decode(hex)).isEqualTo(new Frame.AckUpTo(258, ID.getMostSignificantBits(), ID.getLeastSignificantBits()));
        assertThatThrownBy(() -> decode("42" + "0000000000000102")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("ACK_UPTO");
        assertThatThrownBy(() -> decode(hex + "00")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("ACK_UPTO");
    }

    @Test
    void firstSendsByteForByteAndItsBrokenForms() throws ProtocolException {
        assertThat(HEX.formatHex(FrameCodec.firstSends(true))).isEqualTo("4401");
        assertThat(HEX.formatHex(FrameCodec.firstSends(false))).isEqualTo("4400");
        assertThat(decode("4401")).isEqualTo(new Frame.FirstSends(true));
        assertThat(decode("4400")).isEqualTo(new Frame.FirstSends(false));
        assertThatThrownBy(() -> decode("44")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("FIRST_SENDS frame must carry 1 bytes, got 0");
        assertThatThrownBy(() -> decode("440100")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("FIRST_SENDS frame must carry 1 bytes, got 2");
        assertThatThrownBy(() -> decode("4402")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("FIRST_SENDS value 2 is neither 0 nor 1");
        assertThatThrownBy(() -> decode("44ff")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("value 255");
    }

    @Test
    void decodesExtensionFrames() throws ProtocolException {
        assertThat(decode("4000000001")).isEqualTo(new Frame.Capabilities(1));
        assertThat(decode("41" + "00112233445566778899aabbccddeeff" + "00000000000000000000000000000001"))
                .isEqualTo(new Frame.Ack(List.of(ID, new UUID(0, 1))));
    }

    @Test
    void unknownTypesAreReportedNotRejected() throws ProtocolException {
        assertThat(decode("7f0102")).isEqualTo(new Frame.Unknown(0x7f));
        assertThat(decode("ff")).isEqualTo(new Frame.Unknown(0xff));
    }

    @Test
    void invalidUtf8IdentityIsDecodedWithReplacementAndFlagged() throws ProtocolException {
        Frame frame = decode("0262ff6f");
        assertThat(frame).isEqualTo(new Frame.Identification("b\uFFFDo", true));
    }

    @Test
    void brokenFramesAreRejectedWithAReason() {
        assertThatThrownBy(() -> decode("")).isInstanceOf(ProtocolException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> decode("00000001")).hasMessageContaining("PROTOCOL_VERSION");
        assertThatThrownBy(() -> decode("000000000100")).hasMessageContaining("PROTOCOL_VERSION");
        assertThatThrownBy(() -> decode("03" + "0011223344556677")).hasMessageContaining("24-byte header");
        assertThatThrownBy(() -> decode("41" + "0011")).hasMessageContaining("ACK");
        assertThatThrownBy(() -> decode("400001")).hasMessageContaining("CAPABILITIES");
    }

    // ---------------------------------------------------------------- MESSAGE_WITH_HEADERS

    /** MESSAGE header of {@link #ID}, infinite TTL, flags 1. */
    private static final String LEAD = "43" + "00112233445566778899aabbccddeeff" + "ffffffff" + "00000001";

    private static Message withHeaders() {
        return new Message(ID, new byte[] {'h', 'i'}, null, Message.FLAG_PERSISTENT)
                .withHeader("a", "b").withHeader("k", "\u017el");
    }

    @Test
    void encodesMessageWithHeadersByteForByte() {
        assertThat(HEX.formatHex(FrameCodec.messageWithHeaders(withHeaders())))
                .isEqualTo(LEAD + "0002" + "0001" + "61" + "0001" + "62" + "0001" + "6b" + "0003" + "c5be6c" + "6869");
        assertThat(HEX.formatHex(FrameCodec.capabilities(FrameType.CAP_ACK | FrameType.CAP_ACK_UPTO | FrameType.CAP_HEADERS)))
                .isEqualTo("4000000007");
    }

    @Test
    void decodesMessageWithHeadersFromSpecBytes() throws ProtocolException {
        Frame frame = decode(LEAD + "0002" + "0001" + "61" + "0001" + "62" + "0001" + "6b" + "0003" + "c5be6c" + "6869");
        assertThat(frame).isEqualTo(new Frame.MessageWithHeaders(withHeaders()));
        assertThat(((Frame.MessageWithHeaders) frame).message().headers().asMap())
                .containsExactly(java.util.Map.entry("a", "b"), java.util.Map.entry("k", "\u017el"));
    }

    @Test
    void messageWithHeadersRoundTripsEmptyDataEmptyValuesAndTheLimits() throws ProtocolException {
        java.util.Map<String, String> many = new java.util.LinkedHashMap<>();
        for (int i = 0; i < org.snakemq.message.Headers.MAX_COUNT; i++) {
            many.put("h" + i, "");
        }
        // one entry filling the byte limit exactly: 2 + 1 + 2 + value
        String biggest = "v".repeat(org.snakemq.message.Headers.MAX_ENCODED_BYTES - 5);
        for (org.snakemq.message.Headers headers : List.of(org.snakemq.message.Headers.of(many),
                org.snakemq.message.Headers.of("n", biggest), org.snakemq.message.Headers.of("\uD83D\uDC0D", "\u0000"))) {
            Message message = new Message(ID, new byte[0], Duration.ofSeconds(5), 0).withHeaders(headers);
            Frame back = FrameCodec.decode(Unpooled.wrappedBuffer(FrameCodec.messageWithHeaders(message)));
            assertThat(back).isEqualTo(new Frame.MessageWithHeaders(message));
        }
    }

    @Test
    void aHeaderBlockWithNoEntriesIsAMessageWithoutHeaders() throws ProtocolException {
        Frame frame = decode(LEAD + "0000" + "6869");
        assertThat(((Frame.MessageWithHeaders) frame).message())
                .isEqualTo(new Message(ID, new byte[] {'h', 'i'}, null, 1));
    }

    @Test
    void refusesMoreHeadersThanTheLimitBeforeReadingThem() {
        // 65 entries announced, none present: refused for the count, not for the truncation
        assertThatThrownBy(() -> decode(LEAD + "0041")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("MESSAGE_WITH_HEADERS").hasMessageContaining("65 entries")
                .hasMessageContaining("64 allowed");
        assertThatThrownBy(() -> decode(LEAD + "ffff")).hasMessageContaining("65535 entries");
    }

    @Test
    void refusesAHeaderBlockOverTheByteLimitBeforeReadingIt() {
        // one name of 1 byte and a value announced as 16380 bytes: 2 + 1 + 2 + 16380 = 16385
        assertThatThrownBy(() -> decode(LEAD + "0001" + "0001" + "61" + "3ffc"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("larger than the 16384 bytes allowed");
        // 16384 exactly is within the limit, here only short of the announced bytes
        assertThatThrownBy(() -> decode(LEAD + "0001" + "0001" + "61" + "3ffb"))
                .hasMessageContaining("truncated");
        // the limit counts every entry: two entries of 8,193 bytes each are over it
        String half = "0001" + "61" + "1ffc" + "62".repeat(0x1ffc);
        assertThatThrownBy(() -> decode(LEAD + "0002" + half + "0001" + "63" + "1ffc" + "62".repeat(0x1ffc)))
                .hasMessageContaining("larger than the 16384 bytes allowed");
    }

    @Test
    void refusesHeaderNamesAndValuesThatAreNotValidUtf8() {
        assertThatThrownBy(() -> decode(LEAD + "0001" + "0001" + "61" + "0002" + "c328"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("value of header 0 is not valid UTF-8");
        assertThatThrownBy(() -> decode(LEAD + "0001" + "0001" + "ff" + "0000"))
                .hasMessageContaining("name of header 0 is not valid UTF-8");
        // an encoded surrogate (CESU-8) and an overlong NUL are not UTF-8 either
        assertThatThrownBy(() -> decode(LEAD + "0001" + "0001" + "61" + "0003" + "eda080"))
                .hasMessageContaining("not valid UTF-8");
        assertThatThrownBy(() -> decode(LEAD + "0001" + "0001" + "61" + "0002" + "c080"))
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void refusesEmptyAndDuplicateHeaderNames() {
        assertThatThrownBy(() -> decode(LEAD + "0001" + "0000" + "0000"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("empty name");
        assertThatThrownBy(() -> decode(LEAD + "0002" + "0001" + "61" + "0000" + "0001" + "61" + "0000"))
                .hasMessageContaining("duplicate header name");
    }

    @Test
    void everyTruncationOfAMessageWithHeadersIsRefusedWithAReason() {
        byte[] whole = FrameCodec.messageWithHeaders(new Message(ID, new byte[0], null, 0)
                .withHeader("trace", "00-abc-01").withHeader("type", "json"));
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> FrameCodec.decode(Unpooled.wrappedBuffer(cut))).as("first %d bytes", length)
                    .isInstanceOf(ProtocolException.class).hasMessageNotContaining("null");
        }
    }

    @Test
    void bytesAfterTheHeaderBlockAreTheData() throws ProtocolException {
        // a value length shorter than what follows: the rest is data, as in MESSAGE
        Frame frame = decode(LEAD + "0001" + "0001" + "61" + "0001" + "62" + "636465");
        Message message = ((Frame.MessageWithHeaders) frame).message();
        assertThat(message.headers().asMap()).containsExactly(java.util.Map.entry("a", "b"));
        assertThat(message.text()).isEqualTo("cde");
    }

    @Test
    void protocolDocumentShowsTheBytesTheCodecWrites() throws java.io.IOException {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/PROTOCOL.md"));
        java.util.regex.Matcher example = java.util.regex.Pattern
                .compile("```\\n(43 [0-9a-f \\n]+)```").matcher(doc);
        assertThat(example.find()).as("the MESSAGE_WITH_HEADERS example in docs/PROTOCOL.md").isTrue();
        assertThat(example.group(1).replaceAll("\\s", ""))
                .isEqualTo(HEX.formatHex(FrameCodec.messageWithHeaders(withHeaders())));
        assertThat(doc).contains("0x4 = understands MESSAGE_WITH_HEADERS").contains("| 0x43 | MESSAGE_WITH_HEADERS |");
    }

    @Test
    void theMessageFastPathIgnoresMessageWithHeadersFrames() {
        // Messaging checks the type byte for MESSAGE (3) before its shortcut; 0x43 takes the general decoder
        assertThat(FrameType.MESSAGE_WITH_HEADERS).isNotEqualTo(FrameType.MESSAGE);
        assertThat(FrameCodec.messageWithHeaders(withHeaders())[0]).isEqualTo((byte) FrameType.MESSAGE_WITH_HEADERS);
    }
}
