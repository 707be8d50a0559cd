package org.snakemq.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import org.snakemq.message.Message;
import org.snakemq.messaging.MessagingOptions;
import org.snakemq.storage.MemoryQueuesStorage;
import org.snakemq.storage.QueuesStorage;
import org.snakemq.testing.TestPeer;

/**
 * Two senders talk to one receiver through a {@link FaultProxy} that resets connections at random
 * byte positions, stalls and fragments them: every message reaches the receiving application exactly
 * once and in order per sender, transient or persistent.
 */
class FaultInjectionTest {

    private static final Duration WAIT = Duration.ofMinutes(Runs.isLong() ? 30 : 3);
    private static final String[] SENDERS = {"bob", "carol"};

    @Test
    void transientMessagesThroughRandomCutsArriveExactlyOnceInOrder() throws Exception {
        runThroughCuts(false);
    }

    @Test
    void persistentMessagesThroughRandomCutsArriveExactlyOnceInOrderAndLeaveStorage() throws Exception {
        runThroughCuts(true);
    }

    private void runThroughCuts(boolean persistent) throws Exception {
        int total = Runs.size("cuts.messages", 100_000, 1_000_000);
        int perSender = total / SENDERS.length;
        int minCuts = Runs.size("cuts.min", 50, 500);
        long seed = Runs.seed(persistent ? 4242 : 4141);
        FaultProxy.Faults faults = FaultProxy.Faults.none().withStalls(0.02, Duration.ofMillis(50));
        Map<String, MemoryQueuesStorage> storages = new HashMap<>();
        List<TestPeer> senders = new ArrayList<>();
        try (TestPeer alice = new TestPeer("alice");
             FaultProxy proxy = new FaultProxy(alice.listen(), faults, seed)) {
            alice.start();
            for (String name : SENDERS) {
                MemoryQueuesStorage storage = persistent ? new MemoryQueuesStorage() : null;
                storages.put(name, storage);
                TestPeer sender = new TestPeer(name, storage, MessagingOptions.defaults());
                senders.add(sender);
                sender.connectTo(proxy.address()).start();
            }
            sendInRoundsWithCuts(senders, alice, proxy, perSender, minCuts, persistent, new Random(seed));
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() ->
                    alice.received.size() >= perSender * SENDERS.length
                            && senders.stream().allMatch(s -> s.messaging.queueSize("alice") == 0));

            Tally tally = Tally.ofTexts(List.of(), 0);
            for (String name : SENDERS) {
                Tally one = Tally.ofTexts(alice.textsFrom(name), perSender);
                assertThat(one.lost()).as("lost from %s", name).isZero();
                assertThat(one.duplicated()).as("duplicated from %s", name).isZero();
                assertThat(one.outOfOrder()).as("out of order from %s", name).isZero();
                tally = tally.plus(one);
            }
            assertThat(alice.received).hasSize(perSender * SENDERS.length);
            assertThat(proxy.cuts()).as("connections reset mid-stream").isGreaterThanOrEqualTo(minCuts);
            if (persistent) {
                for (MemoryQueuesStorage storage : storages.values()) {
                    await().atMost(WAIT).until(() -> storage.size() == 0);
                }
            }
            Runs.report("cuts " + (persistent ? "persistent" : "transient"), String.format(
                    "%s, cuts %d, stalls %d, connections %d, bytes %d, seed %d",
                    tally, proxy.cuts(), proxy.stalls(),
                    proxy.connections(), proxy.bytes(), seed));
        } finally {
            senders.forEach(TestPeer::close);
            storages.values().stream().filter(s -> s != null).forEach(QueuesStorage::close);
        }
    }

    /**
     * Sends in {@code rounds} chunks per sender and cuts once per chunk at a random moment: when the
     * receiver got a random part of the chunk, every open connection is armed to reset after a random
     * 0 to 32 KiB of further traffic (so the reset lands anywhere, mid-packet included). Messages sent
     * in the next round may find the connection down and wait in the queue.
     */
    private static void sendInRoundsWithCuts(List<TestPeer> senders, TestPeer receiver, FaultProxy proxy,
                                             int perSender, int rounds, boolean persistent, Random random) {
        int next = 0;
        for (int round = 0; round < rounds; round++) {
            int end = (int) ((long) perSender * (round + 1) / rounds);
            for (TestPeer sender : senders) {
                for (int i = next; i < end; i++) {
                    Message message = Message.of(sender.messaging.identity() + ":" + i);
                    sender.messaging.send("alice", persistent ? message.persistent() : message);
                }
            }
            int roundStart = next * senders.size();
            int roundEnd = end * senders.size();
            int threshold = roundStart + random.nextInt(roundEnd - roundStart);
            next = end;
            await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                    .until(() -> receiver.received.size() >= threshold);
            long before = proxy.cuts();
            proxy.armCuts(32 * 1024);
            // when the round was delivered before the armed cut fired, it fires in the next round's traffic
            await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                    .until(() -> proxy.cuts() > before || receiver.received.size() >= roundEnd);
        }
    }

    /**
     * One-byte writes with a pause before each, both directions, and messages of many sizes (some far
     * larger than a socket read): the packeter reassembles every byte.
     */
    @Test
    void oneByteFragmentsWithDelaysAreReassembledByteForByte() throws IOException {
        int count = Runs.size("fragments.messages", 300, 5_000);
        long seed = Runs.seed(777);
        FaultProxy.Faults faults = FaultProxy.Faults.none().withFragments(1, Duration.ofNanos(20_000));
        Random random = new Random(seed);
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = i % 100 == 99 ? 8_000 + random.nextInt(8_000) : random.nextInt(200);
            byte[] body = new byte[size];
            random.nextBytes(body);
            payloads.add(withHeader(i, body));
        }
        try (TestPeer alice = new TestPeer("alice");
             FaultProxy proxy = new FaultProxy(alice.listen(), faults, seed);
             TestPeer bob = new TestPeer("bob")) {
            alice.start();
            bob.connectTo(proxy.address()).start();
            for (byte[] payload : payloads) {
                bob.messaging.send("alice", Message.of(payload));
            }
            await().atMost(WAIT).until(() -> alice.received.size() >= count && bob.messaging.queueSize("alice") == 0);
            List<TestPeer.Received> received = alice.received.snapshot();
            Tally tally = Tally.of(received.stream().map(r -> ByteBuffer.wrap(r.message().data()).getInt()).toList(), count);
            assertThat(received).hasSize(count);
            for (int i = 0; i < count; i++) {
                byte[] data = received.get(i).message().data();
                assertThat(ByteBuffer.wrap(data).getInt()).as("sequence").isEqualTo(i);
                assertThat(Arrays.equals(data, payloads.get(i))).as("message %d intact", i).isTrue();
            }
            long bytes = payloads.stream().mapToLong(p -> p.length).sum();
            assertThat(proxy.writes()).as("one write per byte").isEqualTo(proxy.bytes());
            Runs.report("fragments", String.format(
                    "%s, %d payload bytes all intact, %d one-byte writes, seed %d",
                    tally, bytes, proxy.writes(), seed));
        }
    }

    /** Sequence number, CRC32 of the body, then the body. */
    private static byte[] withHeader(int sequence, byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return ByteBuffer.allocate(12 + body.length).putInt(sequence).putLong(crc.getValue()).put(body).array();
    }
}
