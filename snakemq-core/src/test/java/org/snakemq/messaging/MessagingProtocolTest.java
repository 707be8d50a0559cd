package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.snakemq.message.Message;
import org.snakemq.testing.RawPeer;
import org.snakemq.testing.TestPeer;

/** Our peer against a hand-driven socket: handshake bytes, identification rules, hostile input. */
class MessagingProtocolTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HexFormat HEX = HexFormat.of();

    private TestPeer bob;
    private InetSocketAddress address;

    @BeforeEach
    void start() {
        bob = new TestPeer("bob", null, MessagingOptions.defaults().withHandshakeTimeout(Duration.ofSeconds(1)));
        address = bob.listen();
        bob.start();
    }

    @AfterEach
    void stop() {
        bob.close();
    }

    /** Bob reports a protocol error, and the first one names {@code what}. */
    private void assertFirstError(String what) {
        await().atMost(WAIT).until(() -> !bob.errors.isEmpty());
        assertThat(bob.errors.get(0)).hasMessageContaining(what);
    }

    /** The listener keeps serving: a well-behaved original peer still gets through. */
    private void assertStillServes() throws IOException {
        try (RawPeer good = new RawPeer(address)) {
            good.handshake("good-" + UUID.randomUUID().toString().substring(0, 8));
            good.readHandshake();
            good.sendPacket(RawPeer.messageFrame(UUID.randomUUID(), 0xFFFFFFFFL, 0, "still here".getBytes()));
            await().atMost(WAIT).until(() -> bob.received.stream().anyMatch(r -> r.message().text().equals("still here")));
        }
    }

    @Test
    void sendsProtocolVersionCapabilitiesAndIdentificationOnConnect() throws IOException {
        try (RawPeer raw = new RawPeer(address)) {
            List<byte[]> handshake = raw.readHandshake();
            assertThat(handshake).extracting(HEX::formatHex)
                    .containsExactly("0000000001", "400000000f", "02626f62");
        }
    }

    @Test
    void deliversMessagesFromAnOriginalPeerWithTtlAndFlags() throws IOException {
        try (RawPeer raw = new RawPeer(address)) {
            raw.handshake("alice");
            UUID id = UUID.randomUUID();
            raw.sendPacket(RawPeer.messageFrame(id, 30, 0x5, "hello".getBytes()));
            await().atMost(WAIT).until(() -> bob.received.size() == 1);
            Message got = bob.received.get(0).message();
            assertThat(bob.received.get(0).from()).isEqualTo("alice");
            assertThat(got).isEqualTo(new Message(id, "hello".getBytes(), Duration.ofSeconds(30), 0x5));
        }
    }

    @Test
    void answersAWrongProtocolVersionWithIncompatibleAndCloses() throws IOException {
        try (RawPeer raw = new RawPeer(address)) {
            raw.sendPacket(HEX.parseHex("0000000002"));
            assertThat(HEX.formatHex(raw.readFrame(1, 10))).isEqualTo("01");
            assertThat(raw.closedWithin(WAIT)).isTrue();
        }
        assertFirstError("incompatible protocol version 2");
        assertStillServes();
    }

    /** What a hand-driven peer sends. */
    @FunctionalInterface
    private interface Input {
        void sendTo(RawPeer raw) throws IOException;
    }

    /**
     * Input bob must answer by closing the connection: what it is, the bytes, the error bob reports
     * first, and who identified before the close.
     */
    static Stream<Arguments> closingInput() {
        return Stream.of(
                closing("a MESSAGE before identification",
                        raw -> raw.sendPacket(RawPeer.messageFrame(UUID.randomUUID(), 0, 0, "sneaky".getBytes())),
                        "MESSAGE before identification"),
                closing("a MESSAGE frame too short for its header", raw -> {
                    raw.handshake("alice");
                    raw.sendPacket(HEX.parseHex("03001122"));
                }, "24-byte header", "alice"),
                closing("an identity over fifty characters", raw -> raw.handshake("x".repeat(51)), "longer than 50"),
                closing("a huge length prefix, closed without allocating",
                        raw -> raw.sendRaw(HEX.parseHex("ffffffff00")), "4294967295 bytes exceeds the maximum"),
                closing("a packet over the small limit before identification",
                        raw -> raw.sendRaw(ByteBuffer.allocate(4).putInt(1024 * 1024).array()),
                        "exceeds the maximum of 4096"),
                closing("a version but no identification within the handshake timeout",
                        raw -> raw.sendPacket(HEX.parseHex("0000000001")), "no identification within"));
    }

    private static Arguments closing(String what, Input input, String error, String... identified) {
        return Arguments.of(Named.of(what, input), error, List.of(identified));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("closingInput")
    void closesTheConnectionOnBadInputAndKeepsServing(Input input, String error, List<String> identified)
            throws IOException {
        try (RawPeer raw = new RawPeer(address)) {
            input.sendTo(raw);
            assertThat(raw.closedWithin(WAIT)).isTrue();
        }
        assertFirstError(error);
        assertThat(bob.received).as("nothing delivered").isEmpty();
        assertThat(bob.connects).as("identified").containsExactlyElementsOf(identified);
        assertStillServes();
    }

    @Test
    void acceptsAnInvalidUtf8IdentityWithReplacementAndReportsIt() throws IOException {
        try (RawPeer raw = new RawPeer(address)) {
            raw.sendPacket(HEX.parseHex("0000000001"));
            raw.sendPacket(HEX.parseHex("0262ff6f"));
            raw.sendPacket(RawPeer.messageFrame(UUID.randomUUID(), 0xFFFFFFFFL, 0, "x".getBytes()));
            await().atMost(WAIT).until(() -> bob.received.size() == 1);
            assertThat(bob.received.get(0).from()).isEqualTo("b\uFFFDo");
            assertThat(bob.errors).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("not valid UTF-8"));
        }
    }

    @Test
    void acceptsAnIdentityOfExactlyFiftyCharacters() throws IOException {
        try (RawPeer raw = new RawPeer(address)) {
            raw.handshake("é".repeat(50));
            await().atMost(WAIT).until(() -> bob.connects.contains("é".repeat(50)));
        }
    }

    @Test
    void anIdentityWithControlCharactersCannotForgeLogLines() throws IOException {
        try (org.snakemq.testing.LogCapture logs = new org.snakemq.testing.LogCapture("snakemq.messaging");
             RawPeer raw = new RawPeer(address)) {
            raw.handshake("eve\nERROR fake line");
            await().atMost(WAIT).until(() -> bob.connects.contains("eve\nERROR fake line"));
            assertThat(logs.messages()).anySatisfy(line -> assertThat(line).contains("eve\\u000aERROR fake line"))
                    .noneSatisfy(line -> assertThat(line).contains("\n"));
        }
    }

    @Test
    void duplicateIdentityClosesTheNewConnection() throws IOException {
        try (RawPeer first = new RawPeer(address); RawPeer second = new RawPeer(address)) {
            first.handshake("alice");
            await().atMost(WAIT).until(() -> bob.messaging.isConnected("alice"));
            second.handshake("alice");
            assertThat(second.closedWithin(WAIT)).isTrue();
            assertThat(first.closedWithin(Duration.ofMillis(300))).isFalse();
            first.sendPacket(RawPeer.messageFrame(UUID.randomUUID(), 0xFFFFFFFFL, 0, "from first".getBytes()));
            await().atMost(WAIT).until(() -> bob.received.size() == 1);
            assertThat(bob.connects).containsExactly("alice");
        }
    }

    @Test
    void aSecondIdentificationIsIgnored() throws IOException {
        try (RawPeer raw = new RawPeer(address)) {
            raw.handshake("alice");
            raw.sendPacket(HEX.parseHex("02" + HEX.formatHex("mallory".getBytes())));
            raw.sendPacket(RawPeer.messageFrame(UUID.randomUUID(), 0xFFFFFFFFL, 0, "who".getBytes()));
            await().atMost(WAIT).until(() -> bob.received.size() == 1);
            assertThat(bob.received.get(0).from()).isEqualTo("alice");
            assertThat(bob.connects).containsExactly("alice");
        }
    }

    @Test
    void unknownFrameTypesAreIgnored() throws IOException {
        try (RawPeer raw = new RawPeer(address)) {
            raw.handshake("alice");
            raw.sendPacket(HEX.parseHex("7e010203"));
            raw.sendPacket(HEX.parseHex("ff"));
            raw.sendPacket(RawPeer.messageFrame(UUID.randomUUID(), 0xFFFFFFFFL, 0, "after".getBytes()));
            await().atMost(WAIT).until(() -> bob.received.size() == 1);
            assertThat(bob.errors).isEmpty();
        }
    }

    @Test
    void answersPingWithPong() throws IOException {
        try (RawPeer raw = new RawPeer(address)) {
            raw.handshake("alice");
            raw.readHandshake();
            raw.sendPacket(HEX.parseHex("04"));
            assertThat(HEX.formatHex(raw.readFrame(5, 10))).isEqualTo("05");
        }
    }

    @Test
    void largePacketsAreAcceptedAfterIdentification() throws IOException {
        try (RawPeer raw = new RawPeer(address)) {
            raw.handshake("alice");
            byte[] big = new byte[1024 * 1024];
            raw.sendPacket(RawPeer.messageFrame(UUID.randomUUID(), 0xFFFFFFFFL, 0, big));
            await().atMost(WAIT).until(() -> bob.received.size() == 1);
            assertThat(bob.received.get(0).message().data()).hasSize(big.length);
        }
    }

    @Test
    void truncatedPacketFollowedByCloseIsHarmless() throws IOException {
        try (RawPeer raw = new RawPeer(address)) {
            raw.handshake("alice");
            raw.sendRaw(HEX.parseHex("0000006403001122"));
        }
        await().atMost(WAIT).until(() -> bob.disconnects.contains("alice"));
        assertThat(bob.received).isEmpty();
        assertStillServes();
    }

    @Test
    void randomBytesCloseTheConnectionButNotThePeer() throws IOException {
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            try (RawPeer raw = new RawPeer(address)) {
                byte[] junk = new byte[1 + random.nextInt(200)];
                random.nextBytes(junk);
                raw.sendRaw(junk);
            }
        }
        assertStillServes();
    }

    @Test
    void aThrowingReceiveCallbackIsLoggedAndTheNextMessageStillArrives() throws IOException {
        bob.messaging.onMessageReceived().add((c, ident, m) -> {
            throw new IllegalStateException("user bug");
        });
        try (RawPeer raw = new RawPeer(address)) {
            raw.handshake("alice");
            raw.sendPacket(RawPeer.messageFrame(UUID.randomUUID(), 0xFFFFFFFFL, 0, "1".getBytes()));
            raw.sendPacket(RawPeer.messageFrame(UUID.randomUUID(), 0xFFFFFFFFL, 0, "2".getBytes()));
            await().atMost(WAIT).until(() -> bob.received.size() == 2);
        }
    }
}
