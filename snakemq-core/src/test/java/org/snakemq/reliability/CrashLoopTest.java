package org.snakemq.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.snakemq.storage.SqliteQueuesStorage;
import org.snakemq.storage.StoredMessage;
import org.snakemq.testing.TestPeer;

/**
 * A sender with SQLite storage, in its own JVM, is killed with SIGKILL again and again during a long
 * persistent run and restarted on the same file: the receiving application gets every message
 * exactly once, in order, and the file passes {@code PRAGMA integrity_check} after every kill.
 * Some kills land while the sender pushes, some right after it reconnects and resends what it loaded.
 */
class CrashLoopTest {

    private static final Duration WAIT = Duration.ofMinutes(Runs.isLong() ? 30 : 3);

    @TempDir
    Path dir;

    private int reported = -1;
    private int loaded;

    @Test
    void aSenderKilledOverAndOverLosesNothingAndDeliversNothingTwice() throws Exception {
        int total = Runs.size("crash.messages", 100_000, 300_000);
        int kills = Runs.size("crash.kills", 20, 25);
        int rate = Runs.size("crash.rate", 5_000, 10_000);
        Random random = new Random(Runs.seed(1111));
        Path db = dir.resolve("sender.db");
        List<Integer> exitCodes = new ArrayList<>();
        List<String> integrity = new ArrayList<>();
        int killsAtReconnect = 0;
        int storedAtRestarts = 0;
        int storedAlreadyDelivered = 0;
        try (TestPeer receiver = new TestPeer("receiver")) {
            InetSocketAddress address = receiver.listen();
            receiver.start();
            Consumer<String> sink = line -> {
                if (line.startsWith("PUSHED ")) {
                    reported = Math.max(reported, Integer.parseInt(line.substring(7)));
                } else if (line.startsWith("LOADED ")) {
                    loaded += Integer.parseInt(line.split(" ")[1]);
                }
            };
            for (int incarnation = 0; incarnation <= kills; incarnation++) {
                int from = Math.max(reported, highest(receiver)) + 1;
                try (ChildJvm sender = new ChildJvm(SenderMain.class, dir.resolve("sender-" + incarnation + ".out"),
                        "256m", db.toString(), address.getHostString(), Integer.toString(address.getPort()),
                        Integer.toString(from), Integer.toString(total), Integer.toString(rate))) {
                    if (incarnation < kills) {
                        if (incarnation > 0 && random.nextInt(4) == 0) {
                            sender.awaitLine(line -> line.equals("UP receiver"), sink, WAIT);
                            killsAtReconnect++;
                        } else {
                            int share = total / (kills + 1);
                            int target = reported + share / 2 + random.nextInt(share);
                            sender.awaitLine(line -> reported >= target || line.equals("DONE"), sink, WAIT);
                        }
                        exitCodes.add(sender.kill());
                        sender.newLines().forEach(sink);
                        await().atMost(WAIT).until(() -> !receiver.messaging.isConnected("sender"));
                        integrity.add(integrityCheck(db));
                        Set<Integer> delivered = new HashSet<>(sequences(receiver));
                        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(db)) {
                            List<StoredMessage> rows = storage.loadAll();
                            storedAtRestarts += rows.size();
                            storedAlreadyDelivered += (int) rows.stream()
                                    .filter(r -> delivered.contains(SenderMain.sequence(r.message()))).count();
                        }
                    } else {
                        sender.awaitLine(line -> line.equals("EMPTY") || line.equals("NOT EMPTY"), sink, WAIT);
                        await().atMost(WAIT).until(() -> new HashSet<>(sequences(receiver)).size() >= total);
                        assertThat(sender.stop(Duration.ofSeconds(30))).as("clean exit").isZero();
                        integrity.add(integrityCheck(db));
                        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(db)) {
                            assertThat(storage.loadAll()).as("stored after everything was acknowledged").isEmpty();
                        }
                    }
                }
            }
            Tally tally = Tally.of(sequences(receiver), total);
            assertThat(exitCodes).as("killed by SIGKILL").hasSize(kills).containsOnly(137);
            assertThat(integrity).as("PRAGMA integrity_check after every kill and at the end").containsOnly("ok");
            assertThat(tally.lost()).as("lost").isZero();
            assertThat(tally.duplicated()).as("delivered twice").isZero();
            assertThat(tally.outOfOrder()).as("out of order").isZero();
            Runs.report("crash loop", String.format("%s, SIGKILLs %d (%d right after reconnecting), integrity_check ok"
                            + " %d of %d, %d messages reloaded from SQLite over the restarts (%d of them already"
                            + " delivered before the kill: resent, acknowledged, not delivered again)",
                    tally, kills, killsAtReconnect, integrity.size(), integrity.size(), loaded, storedAlreadyDelivered));
            assertThat(storedAtRestarts).as("what the parent saw stored is what the children loaded").isEqualTo(loaded);
        }
    }

    private static List<Integer> sequences(TestPeer receiver) {
        return receiver.textsFrom("sender").stream().map(t -> Integer.parseInt(t.substring(t.indexOf(':') + 1))).toList();
    }

    private static int highest(TestPeer receiver) {
        return sequences(receiver).stream().mapToInt(Integer::intValue).max().orElse(-1);
    }

    private static String integrityCheck(Path db) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
            StringBuilder answer = new StringBuilder();
            while (result.next()) {
                answer.append(answer.length() > 0 ? "; " : "").append(result.getString(1));
            }
            return answer.toString();
        }
    }
}
