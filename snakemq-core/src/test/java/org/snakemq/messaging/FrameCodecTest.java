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
}
