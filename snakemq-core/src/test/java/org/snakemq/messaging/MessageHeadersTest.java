package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.snakemq.message.HeaderBlock;
import org.snakemq.message.Headers;
import org.snakemq.message.Message;
import org.snakemq.testing.RawPeer;
import org.snakemq.testing.TestPeer;

/**
 * Headers on the wire: MESSAGE_WITH_HEADERS between peers that both announced CAP_HEADERS, plain
 * MESSAGE frames for every other peer, and what a bad header frame does to the connection.
 */
class MessageHeadersTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HexFormat HEX = HexFormat.of();
    private static final int ACKS_AND_HEADERS = FrameType.CAP_ACK | FrameType.CAP_ACK_UPTO | FrameType.CAP_HEADERS;

    private final List<TestPeer> peers = new ArrayList<>();
    private TestPeer bob;
    private InetSocketAddress address;

    private TestPeer peer(String identity) {
        TestPeer peer = new TestPeer(identity);
        peers.add(peer);
        return peer;
    }

    /** Starts {@link #bob}, listening at {@link #address}. */
    private void startBob(MessagingOptions options) {
        bob = new TestPeer("bob", null, options);
        peers.add(bob);
        address = bob.listen();
        bob.start();
    }

    @AfterEach
    void stop() {
        peers.forEach(TestPeer::close);
    }

    private static Message traced(String text) {
        return Message.of(text).withHeader("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .withHeader("content-type", "text/plain; charset=\u00fatf-8");
    }

    @Test
    void headersTravelBetweenTwoPeersOfThisProjectInBothDirections() {
        startBob(MessagingOptions.defaults());
        TestPeer alice = peer("alice").connectTo(address).start();
        Message toBob = traced("to bob").persistent();
        Message toAlice = Message.of("to alice").withHeader("reply-to", "bob");
        Message plain = Message.of("no headers");
        alice.messaging.send("bob", toBob);
        alice.messaging.send("bob", plain);
        bob.messaging.send("alice", toAlice);
        await().atMost(WAIT).until(() -> bob.received.size() == 2 && alice.received.size() == 1);
        assertThat(bob.received.get(0).message()).isEqualTo(toBob);
        assertThat(bob.received.get(0).message().headers().get("traceparent")).startsWith("00-4bf9");
        assertThat(bob.received.get(1).message()).isEqualTo(plain);
        assertThat(bob.received.get(1).message().headers()).isSameAs(Headers.EMPTY);
        assertThat(alice.received.get(0).message()).isEqualTo(toAlice);
        // acknowledged like any message: counted in the same sequence as the plain one
        await().atMost(WAIT).until(() -> alice.sent.size() == 2 && bob.sent.size() == 1);
        assertThat(alice.sent).containsExactly(toBob.uuid(), plain.uuid());
        assertThat(bob.errors).isEmpty();
        assertThat(alice.errors).isEmpty();
    }

    @Test
    void aProtocolOnePeerGetsAPlainMessageWithTheSameDataAndNeverTheHeaderFrame() throws IOException {
        startBob(MessagingOptions.defaults());
        Message message = new Message(UUID.randomUUID(), "hello original".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(90), Message.FLAG_PERSISTENT).withHeader("k", "v");
        bob.messaging.send("carol", message);
        bob.messaging.send("carol", Message.of("second").withHeader("k", "w"));
        try (RawPeer carol = new RawPeer(address)) {
            carol.handshake("carol"); // protocol 1: no CAPABILITIES at all
            List<byte[]> frames = readPacketsUntilMessages(carol, 2);
            assertThat(frames).allSatisfy(f -> assertThat(f[0]).as("frame type").isNotEqualTo((byte) 0x43));
            List<byte[]> messages = frames.stream().filter(f -> f[0] == FrameType.MESSAGE).toList();
            byte[] expected = FrameCodec.message(message);
            // the TTL may have counted down while queued; compare all but that field
            assertThat(HEX.formatHex(messages.get(0), 0, 17)).isEqualTo(HEX.formatHex(expected, 0, 17));
            assertThat(HEX.formatHex(messages.get(0), 21, messages.get(0).length))
                    .isEqualTo(HEX.formatHex(expected, 21, expected.length));
            assertThat(new String(messages.get(1), 25, messages.get(1).length - 25, StandardCharsets.UTF_8))
                    .isEqualTo("second");
            await().atMost(WAIT).until(() -> bob.sent.size() == 2);
        }
        assertThat(bob.errors).isEmpty();
    }

    @Test
    void aPeerAnnouncingAcknowledgementsButNotHeadersGetsPlainMessages() throws IOException {
        startBob(MessagingOptions.defaults());
        Message message = traced("acked, no headers");
        bob.messaging.send("carol", message);
        try (RawPeer carol = new RawPeer(address)) {
            carol.handshakeWithCumulativeAcks("carol");
            List<byte[]> frames = readPacketsUntilMessages(carol, 1);
            byte[] got = frames.get(frames.size() - 1);
            assertThat(HEX.formatHex(got)).isEqualTo(HEX.formatHex(FrameCodec.message(message)));
            carol.ackUpTo(1, message.uuid());
            await().atMost(WAIT).until(() -> bob.sent.contains(message.uuid()));
        }
    }

    @Test
    void aPeerAnnouncingHeadersGetsTheHeaderFrameByteForByteAndItCountsForAckUpTo() throws IOException {
        startBob(MessagingOptions.defaults());
        Message first = Message.of("plain");
        Message second = traced("with headers");
        bob.messaging.send("carol", first);
        bob.messaging.send("carol", second);
        try (RawPeer carol = new RawPeer(address)) {
            carol.handshakeWithCapabilities("carol", ACKS_AND_HEADERS);
            List<byte[]> frames = readPacketsUntilMessages(carol, 2);
            List<byte[]> messages = frames.subList(frames.size() - 2, frames.size());
            assertThat(HEX.formatHex(messages.get(0))).isEqualTo(HEX.formatHex(FrameCodec.message(first)));
            assertThat(HEX.formatHex(messages.get(1))).isEqualTo(HEX.formatHex(FrameCodec.messageWithHeaders(second)));
            carol.ackUpTo(2, second.uuid());
            await().atMost(WAIT).until(() -> bob.sent.size() == 2);
            assertThat(bob.sent).containsExactly(first.uuid(), second.uuid());
        }
        assertThat(bob.errors).isEmpty();
    }

    @Test
    void headerFramesFromAPeerCountForItsAckUpTo() throws IOException {
        startBob(MessagingOptions.defaults());
        UUID last = UUID.randomUUID();
        try (RawPeer carol = new RawPeer(address)) {
            carol.handshakeWithCapabilities("carol", ACKS_AND_HEADERS);
            carol.sendPacket(RawPeer.messageFrame(UUID.randomUUID(), 0xFFFFFFFFL, 0, "one".getBytes()));
            carol.sendPacket(FrameCodec.messageWithHeaders(Message.of("two").withHeader("a", "b")));
            carol.sendPacket(RawPeer.messageFrame(last, 0xFFFFFFFFL, 0, "three".getBytes()));
            await().atMost(WAIT).until(() -> bob.received.size() == 3);
            assertThat(bob.received.get(1).message().headers()).isEqualTo(Headers.of("a", "b"));
            byte[] ack = readAckUpTo(carol, 3);
            assertThat(HEX.formatHex(ack)).isEqualTo(HEX.formatHex(FrameCodec.ackUpTo(3,
                    last.getMostSignificantBits(), last.getLeastSignificantBits())));
        }
    }

    @Test
    void aHeaderFrameFromAPeerThatDidNotAnnounceHeadersClosesTheConnection() throws IOException {
        startBob(MessagingOptions.defaults());
        try (RawPeer carol = new RawPeer(address)) {
            carol.handshakeWithCumulativeAcks("carol"); // 0x3: no headers
            carol.sendPacket(RawPeer.messageFrame(UUID.randomUUID(), 0xFFFFFFFFL, 0, "before".getBytes()));
            carol.sendPacket(FrameCodec.messageWithHeaders(Message.of("sneaky").withHeader("a", "b")));
            carol.sendPacket(RawPeer.messageFrame(UUID.randomUUID(), 0xFFFFFFFFL, 0, "after".getBytes()));
            assertThat(carol.closedWithin(WAIT)).isTrue();
        }
        await().atMost(WAIT).until(() -> !bob.errors.isEmpty());
        assertThat(bob.errors.get(0)).hasMessageContaining("MESSAGE_WITH_HEADERS from a peer that did not announce headers");
        assertThat(bob.textsFrom("carol")).containsExactly("before");
    }

    @Test
    void aProtocolOnePeerSendingAHeaderFrameIsClosedToo() throws IOException {
        startBob(MessagingOptions.defaults());
        try (RawPeer carol = new RawPeer(address)) {
            carol.handshake("carol");
            carol.sendPacket(FrameCodec.messageWithHeaders(Message.of("sneaky").withHeader("a", "b")));
            assertThat(carol.closedWithin(WAIT)).isTrue();
        }
        await().atMost(WAIT).until(() -> !bob.errors.isEmpty());
        assertThat(bob.errors.get(0)).hasMessageContaining("did not announce headers");
        assertThat(bob.received).isEmpty();
    }

    @Test
    void tooManyHeadersCloseTheConnectionWithoutDeliveringOrAcknowledgingTheMessage() throws IOException {
        ByteBuffer block = ByteBuffer.allocate(2 + 65 * 6).putShort((short) 65);
        for (int i = 0; i < 65; i++) {
            block.putShort((short) 2).put(String.format("%02d", i).getBytes(StandardCharsets.US_ASCII)).putShort((short) 0);
        }
        assertBadHeaderFrameIsRefused(block.array(), "65 entries, more than the 64 allowed");
    }

    @Test
    void aHeaderBlockOverTheByteLimitClosesTheConnection() throws IOException {
        byte[] value = "x".repeat(Headers.MAX_ENCODED_BYTES).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer block = ByteBuffer.allocate(2 + 2 + 1 + 2 + value.length)
                .putShort((short) 1).putShort((short) 1).put((byte) 'a').putShort((short) value.length).put(value);
        assertBadHeaderFrameIsRefused(block.array(), "larger than the 16384 bytes allowed");
    }

    @Test
    void aHeaderValueThatIsNotUtf8ClosesTheConnection() throws IOException {
        assertBadHeaderFrameIsRefused(HEX.parseHex("0001" + "0001" + "61" + "0002" + "c328"),
                "value of header 0 is not valid UTF-8");
    }

    @Test
    void aTruncatedHeaderBlockClosesTheConnection() throws IOException {
        // announces a 9-byte value and ends after 3: the frame has no data either
        assertBadHeaderFrameIsRefused(HEX.parseHex("0001" + "0001" + "61" + "0009" + "626262"), "truncated");
    }

    /**
     * A peer that announced headers sends a good message, then a header frame with {@code block},
     * then another good one: the first is delivered and acknowledged, the bad one and everything after
     * it neither (the sender keeps them and sends them again), and the connection is closed.
     */
    private void assertBadHeaderFrameIsRefused(byte[] block, String reason) throws IOException {
        startBob(MessagingOptions.defaults());
        UUID good = UUID.randomUUID();
        UUID bad = UUID.randomUUID();
        List<byte[]> afterwards = new ArrayList<>();
        try (RawPeer carol = new RawPeer(address)) {
            carol.handshakeWithCapabilities("carol", ACKS_AND_HEADERS);
            carol.sendPacket(RawPeer.messageFrame(good, 0xFFFFFFFFL, 0, "good".getBytes()));
            byte[] ack = readAckUpTo(carol, 1);
            assertThat(HEX.formatHex(ack)).isEqualTo(HEX.formatHex(
                    FrameCodec.ackUpTo(1, good.getMostSignificantBits(), good.getLeastSignificantBits())));
            carol.sendPacket(RawPeer.messageWithHeadersFrame(bad, 0xFFFFFFFFL, 0, block, new byte[0]));
            carol.sendPacket(RawPeer.messageFrame(UUID.randomUUID(), 0xFFFFFFFFL, 0, "after".getBytes()));
            carol.setTimeout(WAIT);
            try {
                while (true) {
                    afterwards.add(carol.readPacket());
                }
            } catch (IOException closed) {
                // the end of the connection
            }
        }
        await().atMost(WAIT).until(() -> !bob.errors.isEmpty());
        assertThat(bob.errors.get(0)).hasMessageContaining("MESSAGE_WITH_HEADERS").hasMessageContaining(reason);
        assertThat(bob.textsFrom("carol")).containsExactly("good");
        assertThat(afterwards).as("no acknowledgement after the bad frame")
                .noneSatisfy(p -> assertThat(p[0]).isIn((byte) FrameType.ACK, (byte) FrameType.ACK_UPTO));
        await().atMost(WAIT).until(() -> bob.disconnects.contains("carol"));
        // the listener keeps serving and the same identity may come back
        try (RawPeer again = new RawPeer(address)) {
            again.handshakeWithCapabilities("carol", ACKS_AND_HEADERS);
            again.sendPacket(FrameCodec.messageWithHeaders(Message.of("fixed").withHeader("a", "b")));
            await().atMost(WAIT).until(() -> bob.textsFrom("carol").contains("fixed"));
        }
    }

    @Test
    void withoutAcknowledgementsThePeerStillAnnouncesHeadersAndUsesThem() throws IOException {
        startBob(MessagingOptions.defaults().withAcknowledgements(false));
        Message message = traced("unacknowledged");
        bob.messaging.send("carol", message);
        try (RawPeer carol = new RawPeer(address)) {
            List<byte[]> handshake = carol.readHandshake();
            assertThat(handshake).extracting(HEX::formatHex).containsExactly("0000000001", "4000000004", "02626f62");
            carol.handshakeWithCapabilities("carol", FrameType.CAP_HEADERS);
            List<byte[]> frames = readPacketsUntilMessages(carol, 1);
            assertThat(HEX.formatHex(frames.get(frames.size() - 1)))
                    .isEqualTo(HEX.formatHex(FrameCodec.messageWithHeaders(message)));
        }
    }

    @Test
    void onlyMessagesWithHeadersPayForThemInTheQueue() {
        assertThat(Envelope.of("bob", Message.of("plain"), 0).getClass()).isEqualTo(Envelope.class);
        Envelope headered = Envelope.of("bob", traced("x"), 0);
        assertThat(headered).isInstanceOf(HeaderedEnvelope.class);
        assertThat(((HeaderedEnvelope) headered).headers).isEqualTo(traced("x").headers());
        // its own body is the plain MESSAGE frame, for peers without headers
        assertThat(headered.length()).isEqualTo(1 + FrameType.MESSAGE_HEADER + 1);
    }

    @Test
    void theHeaderBlockCodecIsTheOneTheFrameUses() {
        Message message = traced("x");
        byte[] frame = FrameCodec.messageWithHeaders(message);
        byte[] block = HeaderBlock.encode(message.headers());
        assertThat(HEX.formatHex(frame, 25, 25 + block.length)).isEqualTo(HEX.formatHex(block));
        assertThat(HeaderBlock.length(message.headers())).isEqualTo(block.length);
        assertThat(HeaderBlock.decode(block).asMap()).isEqualTo(Map.copyOf(message.headers().asMap()));
    }

    /** Packets until {@code count} MESSAGE or MESSAGE_WITH_HEADERS frames arrived, all of them. */
    private static List<byte[]> readPacketsUntilMessages(RawPeer peer, int count) throws IOException {
        List<byte[]> packets = new ArrayList<>();
        int messages = 0;
        for (int i = 0; i < 50 && messages < count; i++) {
            byte[] packet = peer.readPacket();
            packets.add(packet);
            if (packet.length > 0 && (packet[0] == FrameType.MESSAGE || packet[0] == FrameType.MESSAGE_WITH_HEADERS)) {
                messages++;
            }
        }
        assertThat(messages).as("messages read").isEqualTo(count);
        return packets;
    }

    /** Reads ACK_UPTO frames until one names {@code count} messages. */
    private static byte[] readAckUpTo(RawPeer peer, long count) throws IOException {
        for (int i = 0; i < 20; i++) {
            byte[] ack = peer.readFrame(FrameType.ACK_UPTO, 20);
            if (ByteBuffer.wrap(ack, 1, 8).getLong() == count) {
                return ack;
            }
        }
        throw new AssertionError("no ACK_UPTO for " + count + " messages");
    }
}
