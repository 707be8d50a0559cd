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
 * messages to 200,000. A third argument {@code concurrent-only} runs only the concurrent pushers
 * (for profiling); {@code -Dbench.debug=true} logs transactions and rows per transaction.
 * The CPU column is the CPU time of the whole process per row: where it is high, the time goes to
 * waking threads rather than to SQLite.
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

        if (args.length > 2 && args[2].equals("concurrent-only")) { // for profiling one case
            Result r = bench.concurrentPushAndDelete(SqliteQueuesStorage.Durability.PROCESS_CRASH, messages);
            System.out.printf("16 concurrent pushers: %,.0f messages/s, %.2f CPU us each%n", r.rate(), r.cpuMicros());
            return;
        }
        Result baseline = bench.rawInserts("NORMAL", messages);
        Result baselineFull = bench.rawInserts("FULL", messages);
        Result pushAll = bench.pushAllAndDelete(SqliteQueuesStorage.Durability.PROCESS_CRASH, messages);
        Result concurrent = bench.concurrentPushAndDelete(SqliteQueuesStorage.Durability.PROCESS_CRASH, messages);
        Result pipelined = bench.pipelinedPushAndDelete(SqliteQueuesStorage.Durability.PROCESS_CRASH, messages);
        int fewer = Math.max(PUSHERS, messages / 10);
        Result pushAllFull = bench.pushAllAndDelete(SqliteQueuesStorage.Durability.POWER_LOSS, messages);
        Result concurrentFull = bench.concurrentPushAndDelete(SqliteQueuesStorage.Durability.POWER_LOSS, fewer);

        System.out.println();
        System.out.printf("%-82s %10s %8s %8s%n", "", "rows/s", "ratio", "CPU us");
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
                + "ratio = rate / baseline; CPU us = CPU time of the whole process per row or message)");
    }

    private static void row(String label, Result result, Result baseline) {
        System.out.printf("%-82s %,10.0f %7.2fx %8.2f%n", label, result.rate(), result.rate() / baseline.rate(),
                result.cpuMicros());
    }

    private Path freshFile() throws IOException {
        Path file = dir.resolve("bench-" + (files++) + ".db");
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
        return file;
    }

    /** Messages made before the clock starts (UUID.randomUUID() is slow, and contended across threads). */
    private List<Message> messages(int count) {
        List<Message> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new Message(UUID.randomUUID(), data, null, Message.FLAG_PERSISTENT));
        }
        return out;
    }

    /** Plain JDBC into the same table layout, batches of 1,000 rows per transaction. */
    private Result rawInserts(String synchronous, int rows) throws Exception {
        Path file = freshFile();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = " + synchronous);
                st.execute("CREATE TABLE items (queue_name TEXT, uuid TEXT, data BLOB, ttl REAL, flags INTEGER)");
            }
            c.setAutoCommit(false);
            List<Message> all = messages(rows);
            Measure start = Measure.start();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO items (queue_name, uuid, data, ttl, flags) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < rows; i++) {
                    insert.setString(1, "peer");
                    insert.setBytes(2, UuidText.toHexBytes(all.get(i).uuid()));
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
            return start.stop(rows);
        }
    }

    /** pushAll of 1,000 messages, then a delete of each, as the queue does once they are delivered. */
    private Result pushAllAndDelete(SqliteQueuesStorage.Durability durability, int messages) throws Exception {
        List<Message> all = messages(messages);
        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(freshFile(), durability)) {
            Measure start = Measure.start();
            for (int sent = 0; sent < messages; sent += BATCH) {
                List<Message> batch = all.subList(sent, Math.min(sent + BATCH, messages));
                for (long key : storage.pushAll("peer", batch)) {
                    storage.delete(key);
                }
            }
            storage.flush();
            Result rate = start.stop(messages);
            check(storage);
            return rate;
        }
    }

    /** {@value #PUSHERS} threads each pushing one message at a time, each deleted once stored. */
    private Result concurrentPushAndDelete(SqliteQueuesStorage.Durability durability, int messages) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PUSHERS);
        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(freshFile(), durability)) {
            int each = messages / PUSHERS;
            List<List<Message>> perThread = new ArrayList<>();
            for (int t = 0; t < PUSHERS; t++) {
                perThread.add(messages(each));
            }
            Measure start = Measure.start();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < PUSHERS; t++) {
                String queue = "peer" + t;
                List<Message> mine = perThread.get(t);
                futures.add(pool.submit(() -> {
                    for (Message m : mine) {
                        storage.delete(storage.push(queue, m));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.MINUTES);
            }
            storage.flush();
            Result rate = start.stop(each * PUSHERS);
            check(storage);
            return rate;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One thread with up to {@value #WINDOW} pushAsync calls in flight, each deleted once stored. */
    private Result pipelinedPushAndDelete(SqliteQueuesStorage.Durability durability, int messages) throws Exception {
        List<Message> all = messages(messages);
        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(freshFile(), durability)) {
            java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(WINDOW);
            Measure start = Measure.start();
            for (Message m : all) {
                window.acquire();
                storage.pushAsync("peer", m).whenComplete((key, error) -> {
                    if (error == null) {
                        storage.delete(key);
                    }
                    window.release();
                });
            }
            window.acquire(WINDOW);
            storage.flush();
            Result rate = start.stop(messages);
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

    /** Wall time and the CPU time of this whole process (all threads) since the start. */
    private record Measure(long nanos, long cpuNanos) {
        static Measure start() {
            return new Measure(System.nanoTime(), processCpuNanos());
        }

        Result stop(int rows) {
            double seconds = (System.nanoTime() - nanos) / 1e9;
            return new Result(rows / seconds, (processCpuNanos() - cpuNanos) / 1e3 / rows);
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }

    /** Rows (or messages) per second, and CPU microseconds the process spent per row. */
    private record Result(double rate, double cpuMicros) {
    }
}
