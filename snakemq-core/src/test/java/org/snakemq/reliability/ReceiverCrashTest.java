package org.snakemq.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.snakemq.message.Message;
import org.snakemq.messaging.MessagingOptions;
import org.snakemq.storage.MemoryQueuesStorage;
import org.snakemq.testing.TestPeer;

/**
 * A receiver in its own JVM is killed with SIGKILL mid-run, several times, and started again. The
 * sender keeps every unacknowledged message (in its queue and its storage) and delivers it when the
 * receiver returns: nothing is lost. Duplicates at the receiving application are possible only for
 * messages the dead receiver had delivered but not yet acknowledged; they are counted and reported.
 */
class ReceiverCrashTest {

    private static final Duration WAIT = Duration.ofMinutes(Runs.isLong() ? 30 : 3);

    @TempDir
    Path dir;

    @Test
    void aKilledReceiverGetsEverythingUnacknowledgedWhenItReturns() throws Exception {
        int count = Runs.size("receiver.messages", 60_000, 500_000);
        int kills = Runs.size("receiver.kills", 3, 20);
        Random random = new Random(Runs.seed(909));
        MemoryQueuesStorage storage = new MemoryQueuesStorage();
        List<Integer> delivered = new ArrayList<>();
        BitSet seen = new BitSet(count);
        int[] exitCodes = new int[kills];
        try (TestPeer sender = new TestPeer("sender", storage, MessagingOptions.defaults())) {
            InetSocketAddress address = sender.listen();
            sender.start();
            for (int i = 0; i < count; i++) {
                sender.messaging.send("receiver", Message.of("sender:" + i).persistent());
            }
            for (int incarnation = 0; incarnation <= kills; incarnation++) {
                Path out = dir.resolve("receiver-" + incarnation + ".out");
                try (ChildJvm receiver = new ChildJvm(ReceiverMain.class, out, "256m",
                        "receiver", address.getHostString(), Integer.toString(address.getPort()))) {
                    java.util.function.Consumer<String> sink = line -> {
                        if (line.startsWith("GOT sender sender:")) {
                            int sequence = Integer.parseInt(line.substring("GOT sender sender:".length()));
                            delivered.add(sequence);
                            seen.set(sequence);
                        }
                    };
                    if (incarnation < kills) {
                        int threshold = (int) ((long) count * (incarnation + 1) / (kills + 1))
                                + random.nextInt(count / (kills + 1) / 2);
                        receiver.awaitLine(line -> seen.cardinality() >= threshold, sink, WAIT);
                        exitCodes[incarnation] = receiver.kill();
                        receiver.newLines().forEach(sink);
                        await().atMost(WAIT).until(() -> !sender.messaging.isConnected("receiver"));
                        int notDelivered = count - seen.cardinality();
                        assertThat(sender.messaging.queueSize("receiver")).as("kept for the dead receiver")
                                .isGreaterThanOrEqualTo(notDelivered);
                        assertThat(storage.size()).as("kept in storage").isGreaterThanOrEqualTo(notDelivered);
                    } else {
                        receiver.awaitLine(line -> seen.cardinality() >= count, sink, WAIT);
                        await().atMost(WAIT).until(() -> sender.messaging.queueSize("receiver") == 0
                                && storage.size() == 0);
                        receiver.stop(Duration.ofSeconds(10));
                    }
                }
            }
        }
        Tally tally = Tally.of(delivered, count);
        assertThat(exitCodes).as("killed by SIGKILL").containsOnly(137);
        assertThat(tally.lost()).as("lost").isZero();
        assertThat(tally.outOfOrder()).as("out of order").isZero();
        assertThat(tally.duplicated()).as("redelivered after a kill: at most one window per kill")
                .isLessThanOrEqualTo(kills * MessagingOptions.defaults().window());
        Runs.report("receiver crash", tally + " (each duplicate was delivered by a receiver killed before it"
                + " acknowledged), receiver kills " + kills);
    }
}
