package org.snakemq.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.snakemq.link.Link;
import org.snakemq.link.LinkOptions;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.packeter.Packeter;
import org.snakemq.testing.TestPeer;

/** Many peers on one listener, and a million messages queued for a peer that is away. */
class LoadTest {

    private static final Duration WAIT = Duration.ofMinutes(Runs.isLong() ? 30 : 3);

    /** A peer stack without the test recorders: link, packeter, messaging. */
    private record Stack(Link link, Messaging messaging) implements AutoCloseable {
        static Stack of(String identity, LinkOptions options) {
            Link link = new Link(options);
            return new Stack(link, new Messaging(identity, "", new Packeter(link)));
        }

        @Override
        public void close() {
            link.close();
            messaging.close();
        }
    }

    @Test
    void aThousandPeersOnOneListenerDeliverEverythingBothWays() throws Exception {
        int peers = Runs.size("load.peers", 1000, 1000);
        int perPeer = Runs.size("load.perPeer", 5, 100);
        String openFilesLimit = openFilesLimit();
        List<Stack> stacks = new ArrayList<>();
        ConcurrentHashMap<String, AtomicInteger> fromEach = new ConcurrentHashMap<>();
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger welcomes = new AtomicInteger();
        int peakFds;
        try (Stack hub = Stack.of("hub", LinkOptions.defaults())) {
            hub.messaging.onMessageReceived().add((c, peer, message) -> {
                int sequence = ByteBuffer.wrap(message.data()).getInt();
                int expected = fromEach.computeIfAbsent(peer, p -> new AtomicInteger()).getAndIncrement();
                if (sequence != expected) {
                    outOfOrder.incrementAndGet();
                }
            });
            InetSocketAddress address = hub.link.addListener(new InetSocketAddress("127.0.0.1", 0));
            hub.link.start();
            try {
                LinkOptions options = LinkOptions.defaults().withReconnectInterval(Duration.ofMillis(500));
                for (int p = 0; p < peers; p++) {
                    Stack stack = Stack.of("peer-" + p, options);
                    stack.messaging.onMessageReceived().add((c, peer, message) -> welcomes.incrementAndGet());
                    stacks.add(stack);
                    for (int i = 0; i < perPeer; i++) {
                        stack.messaging.send("hub", Message.of(ByteBuffer.allocate(64).putInt(i).array()));
                    }
                    stack.link.addConnector(address);
                    stack.link.start();
                }
                await().atMost(WAIT).until(() -> hub.messaging.connectedPeers().size() == peers);
                peakFds = openFileDescriptors();
                for (int p = 0; p < peers; p++) {
                    hub.messaging.send("peer-" + p, Message.of("welcome"));
                }
                await().atMost(WAIT).until(() -> fromEach.values().stream().mapToInt(AtomicInteger::get).sum()
                        >= peers * perPeer && welcomes.get() >= peers);
                assertThat(fromEach).hasSize(peers);
                assertThat(fromEach.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(perPeer));
                assertThat(outOfOrder.get()).isZero();
                assertThat(welcomes.get()).isEqualTo(peers);
            } finally {
                closeAll(stacks);
            }
        }
        Runs.report("1000 peers", String.format("%d peers connected to one listener, %d messages to the hub and %d"
                        + " back, all delivered in order, 0 lost, 0 duplicated; open files at peak %d, limit (ulimit -n) %s",
                peers, peers * perPeer, peers, peakFds, openFilesLimit));
    }

    @Test
    void aMillionQueuedMessagesStayWithinBoundedHeapAndAreAllDeliveredLater() {
        int count = Runs.size("load.queued", 1_000_000, 1_000_000);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong received = new AtomicLong();
        AtomicInteger outOfOrder = new AtomicInteger();
        try (TestPeer sender = new TestPeer("sender").start()) {
            InetSocketAddress address = sender.listen();
            long before = SlowConsumerTest.usedAfterGc(memory);
            for (int i = 0; i < count; i++) {
                byte[] data = new byte[100];
                ByteBuffer.wrap(data).putInt(i);
                sender.messaging.send("late", Message.of(data));
            }
            await().atMost(WAIT).until(() -> sender.messaging.queueSize("late") == count);
            long after = SlowConsumerTest.usedAfterGc(memory);
            double perMessage = (after - before) / (double) count;
            assertThat(perMessage).as("heap bytes per queued 100-byte message").isLessThan(250);

            try (Stack late = Stack.of("late", LinkOptions.defaults())) {
                late.messaging.onMessageReceived().add((c, peer, message) -> {
                    long expected = received.getAndIncrement();
                    if (ByteBuffer.wrap(message.data()).getInt() != expected) {
                        outOfOrder.incrementAndGet();
                    }
                });
                late.link.addConnector(address);
                late.link.start();
                await().atMost(WAIT).until(() -> received.get() >= count && sender.messaging.queueSize("late") == 0);
            }
            assertThat(received.get()).isEqualTo(count);
            assertThat(outOfOrder.get()).isZero();
            Runs.report("million queued", String.format("%d transient 100-byte messages queued for an absent peer:"
                            + " heap after GC +%.1f MiB (%.0f bytes/message, limit 250); then all %d delivered in order",
                    count, (after - before) / 1048576.0, perMessage, received.get()));
        }
    }

    private static void closeAll(List<Stack> stacks) throws InterruptedException {
        ExecutorService closer = Executors.newFixedThreadPool(16);
        for (Stack stack : stacks) {
            closer.execute(stack::close);
        }
        closer.shutdown();
        assertThat(closer.awaitTermination(2, TimeUnit.MINUTES)).as("closed every peer").isTrue();
    }

    private static int openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    private static String openFilesLimit() {
        try {
            return Files.readAllLines(Path.of("/proc/self/limits")).stream()
                    .filter(l -> l.startsWith("Max open files"))
                    .map(l -> l.replaceAll("\\s+", " ").split(" "))
                    .map(f -> "soft " + f[3] + ", hard " + f[4])
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
