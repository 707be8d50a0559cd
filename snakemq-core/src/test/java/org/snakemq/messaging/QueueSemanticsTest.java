package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.snakemq.message.Message;
import org.snakemq.storage.MemoryQueuesStorage;
import org.snakemq.testing.RawPeer;
import org.snakemq.testing.TestPeer;

/** Queues, TTLs, order and keepalive between whole stacks. */
class QueueSemanticsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void ttlRunsOutWhileThePeerIsAwayAndTheDropIsReportedWithoutAConnect() {
        try (TestPeer bob = new TestPeer("bob").start()) {
            Message message = Message.of("short-lived").withTtl(Duration.ofSeconds(1));
            bob.messaging.send("carol", message);
            await().atLeast(Duration.ofMillis(900)).atMost(Duration.ofMillis(2500))
                    .until(() -> bob.dropped.contains(message.uuid()));
            assertThat(bob.messaging.queueSize("carol")).isZero();
        }
    }

    @Test
    void ttlCountsOnlyWhileDisconnected() {
        try (TestPeer bob = new TestPeer("bob").start(); TestPeer alice = new TestPeer("alice")) {
            Message message = Message.of("waits").withTtl(Duration.ofSeconds(4));
            bob.messaging.send("alice", message);
            long queuedAt = System.nanoTime();
            await().atLeast(Duration.ofMillis(1200)).atMost(WAIT)
                    .until(() -> System.nanoTime() - queuedAt > 1_300_000_000L);
            alice.connectTo(bob.listen()).start();
            await().atMost(WAIT).until(() -> alice.received.size() == 1);
            Duration left = alice.received.get(0).message().ttl();
            assertThat(left).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
            assertThat(bob.dropped).isEmpty();
        }
    }

    @Test
    void ttlZeroIsDiscardedAtOnceWhenThePeerIsAway() {
        try (TestPeer bob = new TestPeer("bob").start(); TestPeer alice = new TestPeer("alice")) {
            Message zero = Message.of("now or never").withTtl(Duration.ZERO);
            bob.messaging.send("alice", zero);
            await().atMost(WAIT).until(() -> bob.dropped.contains(zero.uuid()));
            bob.messaging.send("alice", Message.of("later"));
            alice.connectTo(bob.listen()).start();
            await().atMost(WAIT).until(() -> alice.received.size() == 1);
            assertThat(alice.textsFrom("bob")).containsExactly("later");
        }
    }

    @Test
    void ttlZeroGoesOutWhileConnected() {
        try (TestPeer bob = new TestPeer("bob").start(); TestPeer alice = new TestPeer("alice")) {
            alice.connectTo(bob.listen()).start();
            await().atMost(WAIT).until(() -> bob.messaging.isConnected("alice"));
            bob.messaging.send("alice", Message.of("call").withTtl(Duration.ZERO));
            await().atMost(WAIT).until(() -> alice.received.size() == 1);
            assertThat(alice.received.get(0).message().ttl()).isEqualTo(Duration.ZERO);
        }
    }

    @Test
    void messagesToOneselfStayQueued() {
        try (TestPeer bob = new TestPeer("bob").start(); TestPeer alice = new TestPeer("alice")) {
            alice.connectTo(bob.listen()).start();
            await().atMost(WAIT).until(() -> bob.messaging.isConnected("alice"));
            bob.messaging.send("bob", Message.of("to myself"));
            bob.messaging.send("alice", Message.of("marker"));
            await().atMost(WAIT).until(() -> alice.received.size() == 1);
            assertThat(bob.messaging.queueSize("bob")).isEqualTo(1);
            assertThat(bob.received).isEmpty();
        }
    }

    @Test
    void perDestinationOrderIsKeptWithConcurrentSenders() throws InterruptedException {
        try (TestPeer bob = new TestPeer("bob").start(); TestPeer alice = new TestPeer("alice")) {
            alice.connectTo(bob.listen()).start();
            int threads = 4;
            int each = 5_000;
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                senders.add(new Thread(() -> {
                    for (int i = 0; i < each; i++) {
                        bob.messaging.send("alice", Message.of(thread + ":" + i));
                    }
                }));
            }
            senders.forEach(Thread::start);
            for (Thread sender : senders) {
                sender.join(30_000);
            }
            await().atMost(WAIT).until(() -> alice.received.size() == threads * each);
            int[] next = new int[threads];
            for (String text : alice.textsFrom("bob")) {
                String[] parts = text.split(":");
                int thread = Integer.parseInt(parts[0]);
                assertThat(Integer.parseInt(parts[1])).isEqualTo(next[thread]++);
            }
        }
    }

    @Test
    void aMillionMessagesQueuedBeforeTheLoopStartsAreAllDelivered() {
        int count = 1_000_000;
        try (TestPeer bob = new TestPeer("bob"); TestPeer alice = new TestPeer("alice")) {
            AtomicInteger received = new AtomicInteger();
            AtomicInteger outOfOrder = new AtomicInteger();
            alice.messaging.onMessageReceived().add((c, ident, m) -> {
                int expected = received.getAndIncrement();
                if (java.nio.ByteBuffer.wrap(m.data()).getInt() != expected) {
                    outOfOrder.incrementAndGet();
                }
            });
            byte[] padding = new byte[96];
            for (int i = 0; i < count; i++) {
                byte[] data = java.nio.ByteBuffer.allocate(100).putInt(i).put(padding).array();
                bob.messaging.send("alice", new Message(UUID.randomUUID(), data, null, 0));
            }
            InetSocketAddress address = bob.listen();
            bob.start();
            alice.connectTo(address).start();
            await().atMost(Duration.ofSeconds(120)).until(() -> received.get() == count);
            assertThat(outOfOrder.get()).isZero();
            await().atMost(WAIT).until(() -> bob.messaging.queueSize("alice") == 0);
        }
    }

    @Test
    void keepaliveClosesAPeerThatStopsAnswering() throws IOException {
        MessagingOptions options = MessagingOptions.defaults()
                .withKeepalive(Duration.ofMillis(200), Duration.ofMillis(300));
        try (TestPeer bob = new TestPeer("bob", null, options).start()) {
            try (RawPeer silent = new RawPeer(bob.listen())) {
                silent.handshake("silent");
                await().atMost(WAIT).until(() -> bob.messaging.isConnected("silent"));
                assertThat(silent.closedWithin(Duration.ofSeconds(5))).isTrue();
            }
            await().atMost(WAIT).until(() -> bob.disconnects.contains("silent"));
            assertThat(bob.errors).anySatisfy(e -> assertThat(e).hasMessageContaining("no answer to PING"));
        }
    }

    @Test
    void keepaliveKeepsAnsweringPeersConnected() {
        MessagingOptions options = MessagingOptions.defaults()
                .withKeepalive(Duration.ofMillis(100), Duration.ofMillis(300));
        try (TestPeer bob = new TestPeer("bob", null, options).start();
             TestPeer alice = new TestPeer("alice", null, options)) {
            alice.connectTo(bob.listen()).start();
            await().atMost(WAIT).until(() -> bob.messaging.isConnected("alice"));
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> bob.disconnects.isEmpty() && alice.disconnects.isEmpty());
        }
    }

    @Test
    void persistentMessagesSurviveARestartAndArriveInOrderWithTheirTtl() {
        MemoryQueuesStorage storage = new MemoryQueuesStorage();
        try (TestPeer bob = new TestPeer("bob", storage, MessagingOptions.defaults()).start()) {
            for (int i = 0; i < 100; i++) {
                bob.messaging.send("alice", Message.of("p" + i).withTtl(Duration.ofHours(1)).persistent());
            }
            bob.messaging.send("alice", Message.of("transient, lost on restart"));
        }
        assertThat(storage.size()).isEqualTo(100);
        try (TestPeer bob = new TestPeer("bob", storage, MessagingOptions.defaults()).start();
             TestPeer alice = new TestPeer("alice")) {
            alice.connectTo(bob.listen()).start();
            await().atMost(WAIT).until(() -> alice.received.size() == 100);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                expected.add("p" + i);
            }
            assertThat(alice.textsFrom("bob")).isEqualTo(expected);
            assertThat(alice.received.get(0).message().ttl()).isBetween(Duration.ofMinutes(59), Duration.ofHours(1));
            assertThat(alice.received.get(0).message().isPersistent()).isTrue();
            await().atMost(WAIT).until(() -> storage.size() == 0);
        }
    }
}
