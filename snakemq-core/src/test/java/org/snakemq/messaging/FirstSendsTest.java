package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.snakemq.message.Message;
import org.snakemq.storage.MemoryQueuesStorage;
import org.snakemq.testing.RawPeer;
import org.snakemq.testing.TestPeer;

/**
 * FIRST_SENDS (PROTOCOL.md part C): a sender says which messages it sends for the first time, and the
 * receiver looks up only the others among the ids it delivered before.
 */
class FirstSendsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HexFormat HEX = HexFormat.of();
    private static final int CAPS = FrameType.CAP_ACK | FrameType.CAP_ACK_UPTO | FrameType.CAP_FIRST_SENDS;

    @Test
    void aMessageFirstSentAndThenSentAgainIsDeliveredOnce() throws IOException {
        try (TestPeer bob = new TestPeer("bob").start()) {
            try (RawPeer alice = new RawPeer(bob.listen())) {
                alice.handshakeWithCapabilities("alice", CAPS);
                UUID id = UUID.randomUUID();
                byte[] frame = RawPeer.messageFrame(id, 0xFFFFFFFFL, 0, "once".getBytes());
                alice.sendPacket(FrameCodec.firstSends(true));
                alice.sendPacket(frame);
                alice.sendPacket(FrameCodec.firstSends(false));
                alice.sendPacket(frame); // as after a reconnect: it may have been delivered
                alice.sendPacket(RawPeer.messageFrame(UUID.randomUUID(), 0xFFFFFFFFL, 0, "marker".getBytes()));
                await().atMost(WAIT).until(() -> bob.textsFrom("alice").contains("marker"));
                assertThat(bob.textsFrom("alice")).containsExactly("once", "marker");
            }
        }
    }

    @Test
    void aSenderAnnouncesFirstSendsAndSendsAgainWithoutThemAfterAReconnect() throws IOException {
        try (TestPeer bob = new TestPeer("bob").start()) {
            bob.messaging.send("alice", Message.of("m1".getBytes()));
            assertThat(framesOnNextConnection(bob, CAPS, 1)).containsExactly(List.of("4401", "m1"));
            // that connection closed without an acknowledgement: m1 went back to bob's queue
            await().atMost(WAIT).until(() -> !bob.messaging.isConnected("alice"));
            bob.messaging.send("alice", Message.of("m2".getBytes()));
            assertThat(framesOnNextConnection(bob, CAPS, 2)).as("sent again first: a connection starts at 0")
                    .containsExactly(List.of("m1"), List.of("4401", "m2"));
        }
    }

    @Test
    void aStoredMessageIsNeverAFirstSendItMayHaveGoneOutBeforeACrash() throws IOException {
        try (TestPeer bob = new TestPeer("bob", new MemoryQueuesStorage(), MessagingOptions.defaults()).start()) {
            bob.messaging.send("alice", Message.of("stored".getBytes()).persistent());
            bob.messaging.send("alice", Message.of("transient".getBytes()));
            assertThat(framesOnNextConnection(bob, CAPS, 2))
                    .containsExactly(List.of("stored"), List.of("4401", "transient"));
        }
    }

    @Test
    void aPeerThatDidNotAnnounceFirstSendsGetsNone() throws IOException {
        try (TestPeer bob = new TestPeer("bob").start()) {
            bob.messaging.send("alice", Message.of("m1".getBytes()));
            assertThat(framesOnNextConnection(bob, FrameType.CAP_ACK | FrameType.CAP_ACK_UPTO, 1))
                    .containsExactly(List.of("m1"));
        }
    }

    /**
     * Connects a raw peer "alice" with these capabilities to bob, reads bob's handshake and then
     * {@code messages} MESSAGE frames, each with the frames before it (see {@link #framesUpToMessage}),
     * and closes the connection without acknowledging anything.
     */
    private static List<List<String>> framesOnNextConnection(TestPeer bob, int capabilities, int messages)
            throws IOException {
        try (RawPeer alice = new RawPeer(bob.listen())) {
            alice.handshakeWithCapabilities("alice", capabilities);
            alice.readHandshake();
            List<List<String>> groups = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                groups.add(framesUpToMessage(alice));
            }
            return groups;
        }
    }

    /** The frames read up to and including the next MESSAGE: its text for the MESSAGE, hex for the others but PING. */
    private static List<String> framesUpToMessage(RawPeer peer) throws IOException {
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] packet = peer.readPacket();
            if (packet.length > 0 && packet[0] == FrameType.MESSAGE) {
                frames.add(new String(packet, 1 + FrameType.MESSAGE_HEADER, packet.length - 1 - FrameType.MESSAGE_HEADER));
                return frames;
            }
            if (packet.length > 0 && packet[0] != FrameType.PING) {
                frames.add(HEX.formatHex(packet));
            }
        }
        throw new IOException("no MESSAGE within 20 packets: " + frames);
    }
}
