package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.snakemq.message.Message;
import org.snakemq.storage.MemoryQueuesStorage;
import org.snakemq.testing.RawPeer;
import org.snakemq.testing.TestPeer;

/** PROTOCOL.md part C: acknowledged delivery between our peers, and the fallback for original peers. */
class DeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Queues "m0" to "m4", persistent, for the destination. */
    private static void queueFivePersistent(TestPeer sender, String destination) {
        for (int i = 0; i < 5; i++) {
            sender.messaging.send(destination, Message.of("m" + i).persistent());
        }
    }

    /** Reads the five messages {@link #queueFivePersistent} queued, checking that they come in order. */
    private static List<Map.Entry<UUID, String>> readFive(RawPeer peer) throws IOException {
        List<Map.Entry<UUID, String>> got = peer.readMessages(5);
        assertThat(got).extracting(Map.Entry::getValue).containsExactly("m0", "m1", "m2", "m3", "m4");
        return got;
    }

    /** The two ways a peer of this project acknowledges: each message by id, or all up to one by count. */
    enum Acks {
        EACH_MESSAGE, CUMULATIVE;

        void handshake(RawPeer peer, String identity) throws IOException {
            switch (this) {
                case EACH_MESSAGE -> peer.handshakeWithAcks(identity);
                case CUMULATIVE -> peer.handshakeWithCumulativeAcks(identity);
            }
        }

        /** Acknowledges {@code got}, the first messages carol read on this connection (counts start again with each). */
        void acknowledge(RawPeer carol, List<Map.Entry<UUID, String>> got) throws IOException {
            switch (this) {
                case EACH_MESSAGE -> carol.ack(got.stream().map(Map.Entry::getKey).toArray(UUID[]::new));
                case CUMULATIVE -> carol.ackUpTo(got.size(), got.get(got.size() - 1).getKey());
            }
        }

        /** Reads what our peer answered the three message frames {@code peer} sent, the last being {@code last}. */
        void assertThreeFramesAcknowledged(RawPeer peer, UUID last) throws IOException {
            switch (this) {
                case EACH_MESSAGE -> {
                    byte[] ack = peer.readFrame(0x41, 20);
                    assertThat(ack.length).as("acknowledged after delivery").isGreaterThanOrEqualTo(17);
                }
                case CUMULATIVE -> {
                    // the three frames may be acknowledged in one frame or several; the last one covers all
                    ByteBuffer ack;
                    int frames = 0;
                    do {
                        ack = ByteBuffer.wrap(peer.readFrame(0x42, 20));
                        assertThat(ack.remaining()).isEqualTo(25);
                        frames++;
                    } while (ack.getLong(1) < 3 && frames < 3);
                    assertThat(ack.getLong(1)).isEqualTo(3);
                    assertThat(new UUID(ack.getLong(9), ack.getLong(17))).isEqualTo(last);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Acks.class)
    void withAnAcknowledgingPeerMessagesStayQueuedUntilAcknowledgedAndAreResentInOrder(Acks acks) throws IOException {
        MemoryQueuesStorage storage = new MemoryQueuesStorage();
        try (TestPeer bob = new TestPeer("bob", storage, MessagingOptions.defaults()).start()) {
            InetSocketAddress address = bob.listen();
            queueFivePersistent(bob, "carol");
            List<Map.Entry<UUID, String>> first;
            try (RawPeer carol = new RawPeer(address)) {
                acks.handshake(carol, "carol");
                first = readFive(carol);
                acks.acknowledge(carol, first.subList(0, 3));
                await().atMost(WAIT).until(() -> bob.sent.size() == 3);
                assertThat(bob.sent).containsExactly(first.get(0).getKey(), first.get(1).getKey(), first.get(2).getKey());
                acks.acknowledge(carol, first.subList(0, 2));
                assertThat(bob.messaging.queueSize("carol")).as("acknowledging confirmed messages again changes nothing")
                        .isEqualTo(2);
                assertThat(bob.messaging.acknowledges("carol")).as("sent means acknowledged").isTrue();
            }
            await().atMost(WAIT).until(() -> bob.disconnects.contains("carol"));
            assertThat(bob.messaging.acknowledges("carol")).as("not connected").isFalse();
            assertThat(storage.size()).as("unacknowledged persistent messages stay stored").isEqualTo(2);
            try (RawPeer carol = new RawPeer(address)) {
                acks.handshake(carol, "carol");
                List<Map.Entry<UUID, String>> again = carol.readMessages(2);
                assertThat(again).containsExactly(first.get(3), first.get(4));
                acks.acknowledge(carol, again);
                await().atMost(WAIT).until(() -> bob.sent.size() == 5);
                await().atMost(WAIT).until(() -> storage.size() == 0);
            }
        }
    }

    @Test
    void aCumulativeAcknowledgementNamingTheWrongMessageClosesTheConnectionAndKeepsTheQueue() throws IOException {
        try (TestPeer bob = new TestPeer("bob").start()) {
            InetSocketAddress address = bob.listen();
            bob.messaging.send("carol", Message.of("m0"));
            bob.messaging.send("carol", Message.of("m1"));
            try (RawPeer carol = new RawPeer(address)) {
                carol.handshakeWithCumulativeAcks("carol");
                assertThat(carol.readMessages(2)).hasSize(2);
                carol.ackUpTo(2, UUID.randomUUID());
                assertThat(carol.closedWithin(WAIT)).isTrue();
            }
            await().atMost(WAIT).until(() -> bob.disconnects.contains("carol"));
            try (RawPeer carol = new RawPeer(address)) {
                carol.handshakeWithCumulativeAcks("carol");
                List<Map.Entry<UUID, String>> got = carol.readMessages(2);
                assertThat(got).extracting(Map.Entry::getValue).containsExactly("m0", "m1");
                carol.ackUpTo(3, got.get(1).getKey());
                assertThat(carol.closedWithin(WAIT)).as("more acknowledged than sent").isTrue();
            }
            assertThat(bob.messaging.queueSize("carol")).as("a wrong acknowledgement confirms nothing").isEqualTo(2);
            assertThat(bob.sent).isEmpty();
        }
    }

    @Test
    void withAPlainProtocolOnePeerMessagesLeaveTheQueueOnceWritten() throws IOException {
        MemoryQueuesStorage storage = new MemoryQueuesStorage();
        try (TestPeer bob = new TestPeer("bob", storage, MessagingOptions.defaults()).start()) {
            InetSocketAddress address = bob.listen();
            queueFivePersistent(bob, "olga");
            try (RawPeer olga = new RawPeer(address)) {
                olga.handshake("olga");
                readFive(olga);
                await().atMost(WAIT).until(() -> bob.sent.size() == 5);
                assertThat(bob.messaging.queueSize("olga")).isZero();
                assertThat(bob.messaging.acknowledges("olga")).as("sent means written").isFalse();
                await().atMost(WAIT).until(() -> storage.size() == 0);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Acks.class)
    void anAcknowledgingReceiverDeliversARepeatedMessageOnceAndAcknowledgesEveryFrame(Acks acks) throws IOException {
        try (TestPeer bob = new TestPeer("bob").start()) {
            try (RawPeer alice = new RawPeer(bob.listen())) {
                acks.handshake(alice, "alice");
                UUID marker = UUID.randomUUID();
                byte[] frame = RawPeer.messageFrame(UUID.randomUUID(), 0xFFFFFFFFL, 0, "once".getBytes());
                alice.sendPacket(frame);
                alice.sendPacket(frame);
                alice.sendPacket(RawPeer.messageFrame(marker, 0xFFFFFFFFL, 0, "marker".getBytes()));
                await().atMost(WAIT).until(() -> bob.textsFrom("alice").contains("marker"));
                assertThat(bob.textsFrom("alice")).containsExactly("once", "marker");
                acks.assertThreeFramesAcknowledged(alice, marker);
            }
        }
    }

    @ParameterizedTest(name = "native transport {0}")
    @ValueSource(booleans = {true, false})
    void connectionsCutAtRandomMomentsLoseNothingAndDuplicateNothing(boolean nativeTransport) {
        int count = 50_000;
        int cuts = 10;
        MessagingOptions options = MessagingOptions.defaults();
        try (TestPeer bob = new TestPeer("bob", null, options, nativeTransport);
             TestPeer alice = new TestPeer("alice", null, options, nativeTransport)) {
            InetSocketAddress address = alice.listen();
            alice.start();
            bob.connectTo(address).start();
            for (int i = 0; i < count; i++) {
                bob.messaging.send("alice", Message.of(Integer.toString(i)));
            }
            for (int cut = 1; cut <= cuts; cut++) {
                int threshold = count * cut / (cuts + 1);
                await().atMost(WAIT).until(() -> alice.received.size() >= threshold && bob.messaging.isConnected("alice"));
                bob.link.connections().forEach(bob.link::disconnect);
                int expectedDisconnects = cut;
                await().atMost(WAIT).until(() -> bob.disconnects.size() >= expectedDisconnects);
            }
            await().atMost(WAIT).until(() -> alice.received.size() >= count && bob.messaging.queueSize("alice") == 0);
            List<String> texts = alice.textsFrom("bob");
            assertThat(texts).hasSize(count);
            for (int i = 0; i < count; i++) {
                assertThat(texts.get(i)).isEqualTo(Integer.toString(i));
            }
            assertThat(bob.disconnects).hasSizeGreaterThanOrEqualTo(cuts);
        }
    }

    @Test
    void theInFlightWindowBoundsWhatASlowReceiverHasOutstanding() throws IOException {
        MessagingOptions options = MessagingOptions.defaults().withWindow(16);
        try (TestPeer bob = new TestPeer("bob", null, options).start()) {
            for (int i = 0; i < 1000; i++) {
                bob.messaging.send("slow", Message.of("m" + i));
            }
            try (RawPeer slow = new RawPeer(bob.listen())) {
                slow.handshakeWithAcks("slow");
                List<Map.Entry<UUID, String>> first = slow.readMessages(16);
                assertThat(first).hasSize(16);
                slow.setTimeout(Duration.ofMillis(500));
                assertThat(slow.closedWithin(Duration.ofMillis(600))).isFalse();
                assertThat(bob.messaging.queueSize("slow")).isEqualTo(1000);
                slow.setTimeout(Duration.ofSeconds(5));
                slow.ack(first.get(0).getKey());
                List<Map.Entry<UUID, String>> next = slow.readMessages(1);
                assertThat(next).extracting(Map.Entry::getValue).containsExactly("m16");
            }
        }
    }
}
