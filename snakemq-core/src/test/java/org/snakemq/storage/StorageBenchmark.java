package org.snakemq.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.snakemq.message.Message;

/**
 * Persistent-queue throughput on one disk, in one run: first a raw SQLite baseline (plain JDBC,
 * WAL, one transaction per 1,000 inserted rows), then {@link SqliteQueuesStorage} storing and
 * deleting 100-byte messages, as rows per second and as a ratio to the baseline.
 *
 * <pre>
 * ./mvnw -q -B -ntp -pl snakemq-core test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp snakemq-core/target/test-classes:snakemq-core/target/classes:$(cat snakemq-core/target/test-classpath.txt) \
 *     org.snakemq.storage.StorageBenchmark [directory] [messages]
 * </pre>
 *
 * The directory defaults to {@code snakemq-core/target/storage-benchmark} (the disk the build runs on),
 * messages to 200,000.
 */
public final class StorageBenchmark {

    private static final int DATA_SIZE = 100;
    private static final int BATCH = 1000;
    private static final int PUSHERS = 16;
    private static final int WINDOW = 2000;

    private final Path dir;
    private final byte[] data = new byte[DATA_SIZE];
    private int files;

    private StorageBenchmark(Path dir) {
        this.dir = dir;
        new Random(1).nextBytes(data);
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        if (Boolean.getBoolean("bench.debug")) { // -Dbench.debug=true: transactions and rows per transaction
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("snakemq.storage"))
                    .setLevel(ch.qos.logback.classic.Level.DEBUG);
        }
        Path dir = Path.of(args.length > 0 ? args[0] : "snakemq-core/target/storage-benchmark").toAbsolutePath();
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        Files.createDirectories(dir);
        StorageBenchmark bench = new StorageBenchmark(dir);

        System.out.printf("storage benchmark: %,d messages of %d bytes, directory %s, %d cores%n",
                messages, DATA_SIZE, dir, Runtime.getRuntime().availableProcessors());
        // warm-up: the JIT, the page cache and the file system
        bench.rawInserts("NORMAL", 50_000);
        bench.pushAllAndDelete(SqliteQueuesStorage.Durability.PROCESS_CRASH, 50_000);
        bench.concurrentPushAndDelete(SqliteQueuesStorage.Durability.PROCESS_CRASH, 20_000);

        double baseline = bench.rawInserts("NORMAL", messages);
        double baselineFull = bench.rawInserts("FULL", messages);
        double pushAll = bench.pushAllAndDelete(SqliteQueuesStorage.Durability.PROCESS_CRASH, messages);
        double concurrent = bench.concurrentPushAndDelete(SqliteQueuesStorage.Durability.PROCESS_CRASH, messages);
        double pipelined = bench.pipelinedPushAndDelete(SqliteQueuesStorage.Durability.PROCESS_CRASH, messages);
        int fewer = Math.max(PUSHERS, messages / 10);
        double pushAllFull = bench.pushAllAndDelete(SqliteQueuesStorage.Durability.POWER_LOSS, messages);
        double concurrentFull = bench.concurrentPushAndDelete(SqliteQueuesStorage.Durability.POWER_LOSS, fewer);

        System.out.println();
        System.out.printf("%-72s %12s %9s%n", "", "rows/s", "ratio");
        row("baseline: raw SQLite inserts, plain JDBC, WAL, synchronous=NORMAL, 1,000/tx", baseline, baseline);
        row("raw SQLite inserts, plain JDBC, WAL, synchronous=FULL, 1,000/tx", baselineFull, baseline);
        row("SqliteQueuesStorage push+delete, pushAll of 1,000 (PROCESS_CRASH)", pushAll, baseline);
        row("SqliteQueuesStorage push+delete, " + PUSHERS + " concurrent pushers (PROCESS_CRASH)", concurrent, baseline);
        row("SqliteQueuesStorage push+delete, 1 thread pushAsync, " + String.format("%,d", WINDOW)
                + " in flight (PROCESS_CRASH)", pipelined, baseline);
        row("SqliteQueuesStorage push+delete, pushAll of 1,000 (POWER_LOSS)", pushAllFull, baseline);
        row("SqliteQueuesStorage push+delete, " + PUSHERS + " concurrent pushers (POWER_LOSS, "
                + String.format("%,d", fewer) + " msgs)", concurrentFull, baseline);
        System.out.println("(push+delete rows/s count messages: each one is inserted and later deleted; "
                + "ratio = rate / baseline)");
    }

    private static void row(String label, double rate, double baseline) {
        System.out.printf("%-72s %,12.0f %8.2fx%n", label, rate, rate / baseline);
    }

    private Path freshFile() throws IOException {
        Path file = dir.resolve("bench-" + (files++) + ".db");
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
        return file;
    }

    private Message message() {
        return new Message(UUID.randomUUID(), data, null, Message.FLAG_PERSISTENT);
    }

    /** Plain JDBC into the same table layout, batches of 1,000 rows per transaction. */
    private double rawInserts(String synchronous, int rows) throws Exception {
        Path file = freshFile();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = " + synchronous);
                st.execute("CREATE TABLE items (queue_name TEXT, uuid TEXT, data BLOB, ttl REAL, flags INTEGER)");
            }
            c.setAutoCommit(false);
            long start = System.nanoTime();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO items (queue_name, uuid, data, ttl, flags) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < rows; i++) {
                    insert.setString(1, "peer");
                    insert.setBytes(2, UuidText.toHexBytes(UUID.randomUUID()));
                    insert.setBytes(3, data);
                    insert.setNull(4, java.sql.Types.DOUBLE);
                    insert.setInt(5, 1);
                    insert.addBatch();
                    if ((i + 1) % BATCH == 0 || i == rows - 1) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
            }
            return rate(rows, start);
        }
    }

    /** pushAll of 1,000 messages, then a delete of each, as the queue does once they are delivered. */
    private double pushAllAndDelete(SqliteQueuesStorage.Durability durability, int messages) throws Exception {
        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(freshFile(), durability)) {
            long start = System.nanoTime();
            for (int sent = 0; sent < messages; sent += BATCH) {
                List<Message> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < Math.min(BATCH, messages - sent); i++) {
                    batch.add(message());
                }
                for (long key : storage.pushAll("peer", batch)) {
                    storage.delete(key);
                }
            }
            storage.flush();
            double rate = rate(messages, start);
            check(storage);
            return rate;
        }
    }

    /** {@value #PUSHERS} threads each pushing one message at a time, each deleted once stored. */
    private double concurrentPushAndDelete(SqliteQueuesStorage.Durability durability, int messages) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PUSHERS);
        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(freshFile(), durability)) {
            int each = messages / PUSHERS;
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < PUSHERS; t++) {
                String queue = "peer" + t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        storage.delete(storage.push(queue, message()));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.MINUTES);
            }
            storage.flush();
            double rate = rate(each * PUSHERS, start);
            check(storage);
            return rate;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One thread with up to {@value #WINDOW} pushAsync calls in flight, each deleted once stored. */
    private double pipelinedPushAndDelete(SqliteQueuesStorage.Durability durability, int messages) throws Exception {
        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(freshFile(), durability)) {
            java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(WINDOW);
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                window.acquire();
                storage.pushAsync("peer", message()).whenComplete((key, error) -> {
                    if (error == null) {
                        storage.delete(key);
                    }
                    window.release();
                });
            }
            window.acquire(WINDOW);
            storage.flush();
            double rate = rate(messages, start);
            check(storage);
            return rate;
        }
    }

    private static void check(QueuesStorage storage) {
        int left = storage.loadAll().size();
        if (left != 0) {
            throw new IllegalStateException(left + " messages left in the storage after deleting all");
        }
    }

    private static double rate(int rows, long startNanos) {
        return rows / ((System.nanoTime() - startNanos) / 1e9);
    }
}
