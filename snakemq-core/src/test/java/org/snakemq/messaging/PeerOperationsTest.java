package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.snakemq.message.Message;
import org.snakemq.storage.MemoryQueuesStorage;
import org.snakemq.testing.HoldingGate;
import org.snakemq.testing.TestPeer;

/** The operator's view and actions: in-flight counts, disconnecting one peer, purging a queue. */
class PeerOperationsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void inFlightCountsMessagesSentButNotYetAcknowledged() {
        try (TestPeer bob = new TestPeer("bob").start(); TestPeer alice = new TestPeer("alice")) {
            alice.messaging.setInboundGate(new HoldingGate()); // never completes: nothing is acknowledged
            alice.connectTo(bob.listen()).start();
            await().atMost(WAIT).until(() -> bob.messaging.isConnected("alice"));
            for (int i = 0; i < 3; i++) {
                bob.messaging.send("alice", Message.of("held " + i));
            }
            await().atMost(WAIT).until(() -> bob.messaging.inFlight("alice") == 3);
            assertThat(bob.messaging.queueSize("alice")).isEqualTo(3);
            assertThat(bob.messaging.inFlight("nobody")).isZero();
        }
    }

    @Test
    void disconnectClosesOnePeerAndKeepsItsQueue() throws Exception {
        try (TestPeer bob = new TestPeer("bob").start(); TestPeer alice = new TestPeer("alice");
             TestPeer carol = new TestPeer("carol")) {
            alice.connectTo(bob.listen()).start();
            carol.connectTo(bob.listen()).start();
            await().atMost(WAIT).until(() -> bob.messaging.connectedPeers().size() == 2);

            assertThat(bob.messaging.disconnect("alice").get(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(WAIT).until(() -> bob.disconnects.contains("alice"));
            assertThat(bob.disconnects).doesNotContain("carol");
            assertThat(bob.messaging.disconnect("nobody").get(10, TimeUnit.SECONDS)).isFalse();
            // alice's connector dials again and gets what was queued meanwhile
            bob.messaging.send("alice", Message.of("after"));
            await().atMost(WAIT).until(() -> alice.textsFrom("bob").contains("after"));
        }
    }

    @Test
    void purgeRemovesWaitingMessagesFromQueueAndStorageAndReportsThemDropped() throws Exception {
        MemoryQueuesStorage storage = new MemoryQueuesStorage();
        try (TestPeer bob = new TestPeer("bob", storage, MessagingOptions.defaults()).start()) {
            Message kept = Message.of("for carol").persistent();
            bob.messaging.send("carol", kept);
            List<Message> purged = List.of(Message.of("one").persistent(), Message.of("two"));
            purged.forEach(m -> bob.messaging.send("alice", m));

            assertThat(bob.messaging.purge("alice").get(10, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(bob.messaging.queueSize("alice")).isZero();
            assertThat(bob.messaging.queueSize("carol")).isEqualTo(1);
            await().atMost(WAIT).until(() -> bob.dropped.containsAll(purged.stream().map(Message::uuid).toList()));
            storage.flush();
            assertThat(storage.loadAll()).extracting(row -> row.message().uuid()).containsExactly(kept.uuid());
            assertThat(bob.messaging.purge("nobody").get(10, TimeUnit.SECONDS)).isZero();
        }
    }
}
