package org.snakemq.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.snakemq.link.Link;
import org.snakemq.link.LinkOptions;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.MessagingOptions;
import org.snakemq.packeter.Packeter;

/**
 * A receiver (in its own JVM, so its heap can be measured alone) whose receive callback is slow: the
 * sender's in-flight window fills and stops it. Messages handed to the socket and not yet
 * acknowledged never exceed the window, the receiver's heap does not grow with the sender's backlog,
 * and the sender's heap holds the queued messages and nothing more.
 */
class SlowConsumerTest {

    private static final Duration WAIT = Duration.ofMinutes(Runs.isLong() ? 30 : 3);
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aSlowReceiverFillsTheWindowAndStopsTheSender() throws Exception {
        int count = Runs.size("slow.messages", 40_000, 400_000);
        int window = 1000;
        long slowMicros = 100;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong mostInFlight = new AtomicLong();
        BitSet seen = new BitSet(count);
        List<Integer> delivered = new ArrayList<>();
        List<String> figures = new ArrayList<>();
        try (Link link = new Link(LinkOptions.defaults())) {
            CountingTransport transport = new CountingTransport(link);
            Messaging sender = new Messaging("sender", "", new Packeter(transport), null,
                    MessagingOptions.defaults().withWindow(window));
            sender.onMessageSent().add((c, peer, uuid) -> acknowledged.incrementAndGet());
            transport.afterWrite(() -> mostInFlight.accumulateAndGet(
                    transport.messagesWritten() - acknowledged.get(), Math::max));
            InetSocketAddress address = link.addListener(new InetSocketAddress("127.0.0.1", 0));
            link.start();
            String padding = "x".repeat(90);
            for (int i = 0; i < count; i++) {
                sender.send("slow", Message.of("sender:" + i + ":" + padding));
            }
            long senderBaseline = usedAfterGc(memory);
            try (ChildJvm receiver = new ChildJvm(ReceiverMain.class, dir.resolve("slow.out"), "256m",
                    "slow", address.getHostString(), Integer.toString(address.getPort()), Long.toString(slowMicros))) {
                long[] heaps = new long[3];
                long[] senderHeaps = new long[3];
                int[] points = {count / 10, count / 2, count * 9 / 10};
                for (int p = 0; p < points.length; p++) {
                    int point = points[p];
                    receiver.awaitLine(line -> seen.cardinality() >= point, line -> record(line, seen, delivered), WAIT);
                    receiver.command("HEAP");
                    String answer = receiver.awaitLine(line -> line.startsWith("HEAP "),
                            line -> record(line, seen, delivered), WAIT);
                    heaps[p] = Long.parseLong(answer.substring(5));
                    senderHeaps[p] = usedAfterGc(memory);
                    figures.add(String.format("at %d delivered (backlog %d): receiver heap %.1f MiB, sender heap %.1f MiB",
                            seen.cardinality(), sender.queueSize("slow"), heaps[p] / (double) MIB,
                            senderHeaps[p] / (double) MIB));
                }
                receiver.awaitLine(line -> seen.cardinality() >= count, line -> record(line, seen, delivered), WAIT);
                await().atMost(WAIT).until(() -> sender.queueSize("slow") == 0);
                receiver.stop(Duration.ofSeconds(10));

                Tally tally = Tally.of(delivered, count);
                assertThat(tally.lost()).isZero();
                assertThat(tally.duplicated()).isZero();
                assertThat(tally.outOfOrder()).isZero();
                assertThat(mostInFlight.get()).as("written, unacknowledged messages").isLessThanOrEqualTo(window)
                        .as("the window, not the heap, stopped the sender").isGreaterThanOrEqualTo(window * 9L / 10);
                assertThat(heaps[2]).as("receiver heap late vs early in the backlog").isLessThan(heaps[0] + 16 * MIB);
                assertThat(senderHeaps[2]).as("sender heap while its backlog drains").isLessThan(senderHeaps[0] + 16 * MIB);
                Runs.report("slow consumer", tally + ", window " + window + ", most in flight " + mostInFlight
                        + ", receiver callback " + slowMicros + " us/message; sender heap with the whole backlog queued "
                        + String.format("%.1f MiB; ", senderBaseline / (double) MIB) + String.join("; ", figures));
            } finally {
                sender.close();
            }
        }
    }

    private static void record(String line, BitSet seen, List<Integer> delivered) {
        if (line.startsWith("GOT sender sender:")) {
            String rest = line.substring("GOT sender sender:".length());
            int sequence = Integer.parseInt(rest.substring(0, rest.indexOf(':')));
            seen.set(sequence);
            delivered.add(sequence);
        }
    }

    static long usedAfterGc(MemoryMXBean memory) {
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
