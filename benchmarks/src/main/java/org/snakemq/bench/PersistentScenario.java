package org.snakemq.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.packeter.Packeter;
import org.snakemq.storage.QueuesStorage;

/**
 * Persistent 100-byte messages through SQLite storage: stored on send (batched with sendAll, from
 * several threads), delivered, acknowledged and deleted; counted at the receiver. Baseline: plain JDBC
 * inserting the same rows into SQLite in WAL mode, batches of 1,000 per transaction, same directory.
 */
final class PersistentScenario {

    private static final int SIZE = 100;
    private static final int BATCH = 1000;
    private static final int THREADS = 4;
    private static final String NAME = "persistent_100b";

    void run(Bench bench) throws Exception {
        Path dir = Files.createTempDirectory("snakemq-bench-");
        try {
            double snakemq = snakemqRate(bench, dir);
            double sqlite = baselineRate(bench, dir);
            bench.add(new Result(NAME, snakemq, "msg/s", "sqlite_wal_batch1000", sqlite, false));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    static Scenario scenario() {
        return new Scenario(NAME,
                "SQLite persistent 100-byte messages, sendAll batches of " + BATCH + " from " + THREADS
                        + " threads, stored/delivered/acknowledged/deleted; baseline plain JDBC WAL batch insert",
                new PersistentScenario()::run,
                () -> Optional.present(Optional.SQLITE_STORAGE));
    }

    private double snakemqRate(Bench bench, Path dir) throws Exception {
        Map<String, Object> args = Map.of("size", SIZE, "warmup", bench.warmup(), "seconds", bench.seconds());
        Map<String, Object> senderArgs = Map.of("db", dir.resolve("queues.db"), "size", SIZE);
        try (ChildPair pair = ChildPair.start(bench, TransientScenario.JVM, List.of(), "smq-recv", args, "pers-send",
                senderArgs)) {
            Map<String, String> m = pair.listener().await("MEASURED", bench.runTimeout());
            double rate = Child.perSecond(m);
            Map<String, String> progress = pair.dialler().latest("PROGRESS", Duration.ofSeconds(10));
            bench.note(String.format(Locale.ROOT, "persistent_100b: %.0f msg/s at the receiver; sender stored %s,"
                            + " acknowledged (and deleted from storage) %s so far", rate, progress.get("stored"),
                    progress.get("acknowledged")));
            return rate;
        }
    }

    private double baselineRate(Bench bench, Path dir) throws Exception {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("db", dir.resolve("baseline.db"));
        args.put("size", SIZE);
        args.put("warmup", bench.warmup());
        args.put("seconds", bench.seconds());
        try (Child child = Child.start(bench, "sqlite-insert", TransientScenario.JVM, args)) {
            Map<String, String> m = child.await("MEASURED", bench.runTimeout());
            double rate = Child.perSecond(m);
            bench.note(String.format(Locale.ROOT, "persistent_100b baseline: %.0f rows/s (WAL, synchronous=NORMAL,"
                    + " %d rows per transaction)", rate, BATCH));
            return rate;
        }
    }

    static void roles(Map<String, BenchMain.RoleMain> roles) {
        roles.put("pers-send", PersistentScenario::sender);
        roles.put("sqlite-insert", PersistentScenario::sqliteInsert);
    }

    private static void sender(Role role) throws Exception {
        Class<?> type = Optional.load(Optional.SQLITE_STORAGE);
        QueuesStorage storage = (QueuesStorage) type.getConstructor(Path.class).newInstance(Path.of(role.get("db")));
        Link link = new Link();
        Messaging messaging = new Messaging("sender", "", new Packeter(link), storage);
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong stored = new AtomicLong();
        messaging.onMessageSent().add((conn, ident, uuid) -> acknowledged.lazySet(acknowledged.get() + 1));
        role.dial(link, messaging, "receiver");
        byte[] data = new byte[role.integer("size")];
        int high = 50_000;
        for (int t = 0; t < THREADS; t++) {
            Role.startDaemon("sender-" + t, () -> {
                SplittableRandom random = new SplittableRandom();
                List<Message> batch = new ArrayList<>(BATCH);
                while (true) {
                    if (messaging.queueSize("receiver") > high) {
                        LockSupport.parkNanos(100_000);
                        continue;
                    }
                    batch.clear();
                    for (int i = 0; i < BATCH; i++) {
                        batch.add(TransientScenario.message(random, data).persistent());
                    }
                    messaging.sendAll("receiver", batch);
                    stored.addAndGet(BATCH);
                }
            });
        }
        while (true) {
            Role.sleepSeconds(0.5);
            Role.report("PROGRESS", "stored", stored.get(), "acknowledged", acknowledged.get());
        }
    }

    private static void sqliteInsert(Role role) throws Exception {
        int size = role.integer("size");
        AtomicLong rows = new AtomicLong();
        // the connection stays open until the process ends, the writer thread uses it to the last moment
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + role.get("db"));
        {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = NORMAL");
                st.execute("CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, queue TEXT NOT NULL,"
                        + " uuid BLOB NOT NULL, ttl INTEGER, flags INTEGER NOT NULL, data BLOB NOT NULL)");
            }
            c.setAutoCommit(false);
            Role.startDaemon("sqlite-writer", () -> {
                SplittableRandom random = new SplittableRandom();
                byte[] data = new byte[size];
                byte[] uuid = new byte[16];
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO items (queue, uuid, ttl, flags, data) VALUES (?, ?, ?, ?, ?)")) {
                    long n = 0;
                    while (true) {
                        for (int i = 0; i < BATCH; i++) {
                            random.nextBytes(uuid);
                            insert.setString(1, "receiver");
                            insert.setBytes(2, uuid);
                            insert.setNull(3, java.sql.Types.INTEGER);
                            insert.setInt(4, Message.FLAG_PERSISTENT);
                            insert.setBytes(5, data);
                            insert.addBatch();
                        }
                        insert.executeBatch();
                        c.commit();
                        n += BATCH;
                        rows.lazySet(n);
                    }
                } catch (Exception e) {
                    Role.reportFailure(e);
                }
            });
            Role.measure(rows::get, role.decimal("warmup"), role.decimal("seconds"));
        }
    }
}
