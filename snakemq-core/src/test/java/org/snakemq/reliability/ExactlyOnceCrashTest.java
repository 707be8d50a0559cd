package org.snakemq.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exactly-once processing across crashes: a sender (SQLite queue) and a receiver whose handler
 * inserts every message into an application table in the delivery store's transaction, each in its
 * own JVM, each killed with SIGKILL at random moments (the receiver also right inside the handler's
 * transaction) and started again. At the end the table holds every message exactly once, in the
 * sender's order: lost, duplicated and out-of-order counts are reported and must be 0.
 */
class ExactlyOnceCrashTest {

    private static final Duration WAIT = Duration.ofMinutes(Runs.isLong() ? 30 : 4);
    private static final String PG_ENV = "SNAKEMQ_TEST_PG_URL";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void theApplicationTableHoldsEveryMessageOnceInOrderAfterSigkillsOfBothSides(String kind) throws Exception {
        int count = Runs.size("exactly.messages", 3_000, 100_000);
        int kills = Runs.size("exactly.kills", 10, 40);
        Random random = new Random(Runs.seed(4242));
        String where = kind.equals("sqlite") ? dir.resolve("receiver.db").toString() : postgresUrl();
        if (kind.equals("postgres")) {
            execute(where, "DROP TABLE IF EXISTS " + ExactlyOnceReceiverMain.TABLE, "DROP TABLE IF EXISTS snakemq_inbox",
                    "DROP TABLE IF EXISTS snakemq_dead_letters");
        }
        String senderDb = dir.resolve("sender.db").toString();
        int incarnation = 0;
        ChildJvm receiver = receiver(kind, where, 0, incarnation++);
        int port = Integer.parseInt(receiver.awaitLine(l -> l.startsWith("PORT "), l -> { }, WAIT).substring(5));
        ChildJvm sender = sender(senderDb, port, count, incarnation++);
        int receiverKills = 0;
        int senderKills = 0;
        int killsInTransaction = 0;
        try {
            while ((receiverKills < kills || senderKills < kills) && rows(kind, where) < count * 9L / 10) {
                boolean killReceiver = senderKills >= kills || receiverKills < kills && random.nextBoolean();
                long target = rows(kind, where) + 10 + random.nextInt(40);
                if (killReceiver && random.nextBoolean()) {
                    // right inside the handler's transaction: it waits 30 ms after writing IN-TX
                    String line = receiver.awaitLine(l -> l.startsWith("IN-TX "), l -> { }, WAIT);
                    receiver.kill();
                    int seq = Integer.parseInt(line.substring(6));
                    if (!committed(kind, where, seq)) {
                        killsInTransaction++;
                    }
                } else {
                    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> rows(kind, where) >= target);
                    (killReceiver ? receiver : sender).kill();
                }
                if (killReceiver) {
                    receiverKills++;
                    receiver = receiver(kind, where, port, incarnation++);
                    receiver.awaitLine(l -> l.startsWith("PORT "), l -> { }, WAIT);
                } else {
                    senderKills++;
                    sender = sender(senderDb, port, count, incarnation++);
                }
            }
            sender.awaitLine("EMPTY"::equals, l -> { }, WAIT);
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> rows(kind, where) >= count);
        } finally {
            sender.stop(Duration.ofSeconds(10));
            receiver.stop(Duration.ofSeconds(10));
        }
        List<Integer> seqs = sequences(kind, where);
        BitSet seen = new BitSet(count);
        int duplicated = 0;
        int outOfOrder = 0;
        for (int i = 0; i < seqs.size(); i++) {
            int seq = seqs.get(i);
            if (seen.get(seq)) {
                duplicated++;
            }
            seen.set(seq);
            if (i > 0 && seq < seqs.get(i - 1)) {
                outOfOrder++;
            }
        }
        int lost = count - seen.cardinality();
        Runs.report("exactly-once " + kind, count + " messages, " + receiverKills + " receiver kills ("
                + killsInTransaction + " inside the handler's transaction), " + senderKills + " sender kills: "
                + lost + " lost, " + duplicated + " duplicated, " + outOfOrder + " out of order");
        assertThat(receiverKills).isGreaterThanOrEqualTo(kills);
        assertThat(senderKills).isGreaterThanOrEqualTo(kills);
        assertThat(killsInTransaction).as("receiver kills inside the handler's transaction").isPositive();
        assertThat(lost).as("lost").isZero();
        assertThat(duplicated).as("duplicated").isZero();
        assertThat(outOfOrder).as("out of order").isZero();
    }

    private ChildJvm receiver(String kind, String where, int port, int incarnation) throws Exception {
        return new ChildJvm(ExactlyOnceReceiverMain.class, dir.resolve("receiver-" + incarnation + ".out"), "256m",
                kind, where, Integer.toString(port));
    }

    private ChildJvm sender(String db, int port, int count, int incarnation) throws Exception {
        return new ChildJvm(SenderMain.class, dir.resolve("sender-" + incarnation + ".out"), "256m",
                db, "127.0.0.1", Integer.toString(port), "0", Integer.toString(count), Integer.toString(Runs.size("exactly.rate", 100, 300)));
    }

    private static String postgresUrl() {
        String url = System.getProperty(PG_ENV, System.getenv(PG_ENV));
        if (url == null || url.isBlank()) {
            String reason = "PostgreSQL exactly-once test SKIPPED: " + PG_ENV + " is not set";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        return url;
    }

    private static Connection connect(String kind, String where) throws SQLException {
        return DriverManager.getConnection(kind.equals("sqlite") ? "jdbc:sqlite:" + where : where);
    }

    private static long rows(String kind, String where) throws SQLException {
        try (Connection c = connect(kind, where); Statement st = c.createStatement()) {
            st.execute(ExactlyOnceReceiverMain.createTable(kind));
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + ExactlyOnceReceiverMain.TABLE)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static boolean committed(String kind, String where, int seq) throws SQLException {
        try (Connection c = connect(kind, where); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + ExactlyOnceReceiverMain.TABLE + " WHERE seq = " + seq)) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    private static List<Integer> sequences(String kind, String where) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (Connection c = connect(kind, where); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq FROM " + ExactlyOnceReceiverMain.TABLE + " ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    private static void execute(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }
}
