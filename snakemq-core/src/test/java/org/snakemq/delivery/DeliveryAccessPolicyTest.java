package org.snakemq.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.snakemq.message.Message;
import org.snakemq.storage.MemoryDeliveryStore;
import org.snakemq.testing.Closer;
import org.snakemq.testing.LogCapture;
import org.snakemq.testing.Recorded;
import org.snakemq.testing.TestPeer;

/** {@link Deliveries.Builder#accessPolicy}: which senders' messages reach the handler. */
class DeliveryAccessPolicyTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final Closer closer = new Closer();
    private final Recorded<String> handled = new Recorded<>();
    private final MemoryDeliveryStore store = new MemoryDeliveryStore();

    /** Bob with deliveries under the policy; returns bob's address. */
    private InetSocketAddress bob(DeliveryAccessPolicy policy, Deliveries[] deliveries) {
        TestPeer bob = closer.add(new TestPeer("bob"));
        deliveries[0] = closer.add(Deliveries.builder().accessPolicy(policy).deadLetters(store)
                .retry(new RetryPolicy(1, Duration.ofMillis(10), 1.0, Duration.ofMillis(10)))
                .handler(d -> handled.add(d.sender() + ":" + d.message().text()))
                .attachTo(bob.messaging));
        InetSocketAddress address = bob.listen();
        bob.start();
        return address;
    }

    private TestPeer sender(String identity, InetSocketAddress bob) {
        TestPeer peer = closer.add(new TestPeer(identity)).connectTo(bob).start();
        await().atMost(WAIT).until(() -> peer.messaging.isConnected("bob"));
        return peer;
    }

    @Test
    void aRefusedSendersMessageIsAcknowledgedCountedLoggedAndNeitherHandledNorDeadLettered() {
        Deliveries[] deliveries = new Deliveries[1];
        try (LogCapture log = new LogCapture("snakemq.delivery")) {
            InetSocketAddress address = bob(DeliveryAccessPolicy.onlyFrom(Set.of("alice")), deliveries);
            TestPeer mallory = sender("mallory", address);
            TestPeer alice = sender("alice", address);

            Message refused = Message.of("transfer everything").persistent();
            mallory.messaging.send("bob", refused);
            // acknowledged: the sender does not keep it to send again
            await().atMost(WAIT).until(() -> mallory.sent.size() == 1);
            assertThat(mallory.messaging.queueSize("bob")).isZero();

            alice.messaging.send("bob", Message.of("hello"));
            await().atMost(WAIT).until(() -> alice.sent.size() == 1);
            assertThat(handled).containsExactly("alice:hello");
            DeliveryStats stats = deliveries[0].stats();
            assertThat(stats.refused()).isEqualTo(1);
            assertThat(stats.completed()).isEqualTo(1);
            assertThat(stats.recovered()).isZero();
            assertThat(stats.pending()).isZero();
            assertThat(store.list(10)).isEmpty();
            assertThat(log.warnings()).filteredOn(w -> w.contains(refused.uuid().toString()))
                    .singleElement().asString().contains("mallory", "refused");
        }
    }

    @Test
    void refusalsAreLoggedAtMostTwentyLinesASecond() {
        Deliveries[] deliveries = new Deliveries[1];
        try (LogCapture log = new LogCapture("snakemq.delivery")) {
            InetSocketAddress address = bob((sender, message) -> false, deliveries);
            TestPeer mallory = sender("mallory", address);
            long started = System.nanoTime();
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                batch.add(Message.of("spam " + i));
            }
            mallory.messaging.sendAll("bob", batch);
            await().atMost(WAIT).until(() -> mallory.sent.size() == 500);
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            assertThat(deliveries[0].stats().refused()).isEqualTo(500);
            assertThat(handled).isEmpty();
            long lines = log.warnings().stream().filter(w -> w.contains("refused by the delivery access policy")).count();
            assertThat(lines).isBetween(1L, 20 * (seconds + 1));
        }
    }

    @Test
    void aPolicyThatThrowsRefuses() {
        Deliveries[] deliveries = new Deliveries[1];
        InetSocketAddress address = bob((sender, message) -> {
            throw new IllegalStateException("policy store down");
        }, deliveries);
        TestPeer alice = sender("alice", address);
        alice.messaging.send("bob", Message.of("hello"));
        await().atMost(WAIT).until(() -> alice.sent.size() == 1);
        assertThat(handled).isEmpty();
        assertThat(deliveries[0].stats().refused()).isEqualTo(1);
    }

    @Test
    void combinedPoliciesPermitWhatBothPermit() {
        DeliveryAccessPolicy policy = DeliveryAccessPolicy.onlyFrom(Set.of("alice", "carol"))
                .and((sender, message) -> !message.text().startsWith("drop"));
        assertThat(policy.permits("alice", Message.of("keep"))).isTrue();
        assertThat(policy.permits("alice", Message.of("drop me"))).isFalse();
        assertThat(policy.permits("mallory", Message.of("keep"))).isFalse();
        assertThat(DeliveryAccessPolicy.permitAll().permits("anyone", Message.of("x"))).isTrue();
    }
}
