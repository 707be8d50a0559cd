package org.snakemq.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakemq.message.Message;
import org.sqlite.SQLiteDataSource;

/**
 * A database that starts failing mid-run, like a full disk: pushes fail to their callers, nothing
 * stored before is lost, deletes are kept and written later, and the storage works again once the
 * database does. Runs over SQLite and, when available, PostgreSQL.
 */
class StorageFailureTest {

    @TempDir
    Path dir;

    private DataSource real;
    private String table;

    @AfterEach
    void dropTable() throws SQLException {
        if (real != null && !(real instanceof SQLiteDataSource)) {
            PostgresTestDatabase.dropTable(real, table);
        }
    }

    private FailingDataSource database(String kind) {
        if (kind.equals("postgresql")) {
            real = PostgresTestDatabase.dataSource();
            table = PostgresTestDatabase.uniqueTable();
        } else {
            SQLiteDataSource sqlite = new SQLiteDataSource();
            sqlite.setUrl("jdbc:sqlite:" + dir.resolve("queues.db"));
            sqlite.setJournalMode("WAL");
            real = sqlite;
            table = "items";
        }
        return new FailingDataSource(real);
    }

    private static Message message(String text) {
        return Message.of(text).persistent();
    }

    private List<String> storedTexts() {
        try (JdbcQueuesStorage check = new JdbcQueuesStorage(real, table)) {
            return check.loadAll().stream().map(row -> row.message().text()).toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void pushFailsWhileTheDatabaseFailsAndWorksAgainAfterwards(String kind) {
        FailingDataSource ds = database(kind);
        List<String> expected = new ArrayList<>();
        try (JdbcQueuesStorage storage = new JdbcQueuesStorage(ds, table)) {
            for (int i = 0; i < 50; i++) {
                storage.push("alice", message("before" + i));
                expected.add("before" + i);
            }

            ds.failing(true);
            assertThatThrownBy(() -> storage.push("alice", message("lost1")))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(FailingDataSource.FAILURE);
            assertThatThrownBy(() -> storage.pushAll("alice", List.of(message("lost2"), message("lost3"))))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(FailingDataSource.FAILURE);

            ds.failing(false);
            storage.push("alice", message("after"));
            expected.add("after");
            assertThat(storage.loadAll()).extracting(row -> row.message().text()).containsExactlyElementsOf(expected);
        }
        assertThat(storedTexts()).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void deletesMadeWhileTheDatabaseFailsAreWrittenOnceItRecovers(String kind) {
        FailingDataSource ds = database(kind);
        try (JdbcQueuesStorage storage = new JdbcQueuesStorage(ds, table)) {
            List<Long> keys = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                keys.add(storage.push("alice", message("m" + i)));
            }

            ds.failing(true);
            for (int i = 0; i < 10; i++) {
                storage.delete(keys.get(i)); // returns at once, even now
            }
            assertThatThrownBy(storage::flush)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("will be retried");

            ds.failing(false);
            // retried on its own after a pause, without any new call
            Awaitility.await().atMost(10, TimeUnit.SECONDS)
                    .untilAsserted(() -> assertThat(storedTextsWhileOpen(storage)).hasSize(10));
            storage.flush();
        }
        assertThat(storedTexts()).containsExactly("m10", "m11", "m12", "m13", "m14", "m15", "m16", "m17", "m18", "m19");
    }

    private static List<String> storedTextsWhileOpen(QueuesStorage storage) {
        return storage.loadAll().stream().map(row -> row.message().text()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void closeWhileFailingReportsTheUnwrittenDeletesAndKeepsTheirMessages(String kind) {
        FailingDataSource ds = database(kind);
        JdbcQueuesStorage storage = new JdbcQueuesStorage(ds, table);
        long first = storage.push("alice", message("one"));
        long second = storage.push("alice", message("two"));
        storage.push("alice", message("three"));

        ds.failing(true);
        storage.delete(first);
        storage.delete(second);
        assertThatThrownBy(storage::close)
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("2 deletes/TTL updates could not be written");

        ds.failing(false);
        // not lost: delivered again after the restart (at least once)
        assertThat(storedTexts()).containsExactly("one", "two", "three");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void deletesAndTtlUpdatesDoNotWaitForASlowDisk(String kind) throws Exception {
        FailingDataSource ds = database(kind);
        try (JdbcQueuesStorage storage = new JdbcQueuesStorage(ds, table)) {
            List<Long> keys = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                keys.add(storage.push("alice", message("m" + i)));
            }
            java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
            ds.stallCommits(gate);
            java.util.concurrent.CompletableFuture<Long> stuck = storage.pushAsync("alice", message("stuck"));
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> ds.stalledCommits() > 0);

            // the writer now hangs in a commit; the loop thread's calls must still return at once
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
                for (int i = 0; i < 5; i++) {
                    storage.delete(keys.get(i));
                }
                storage.updateTtls(List.of(new QueuesStorage.TtlUpdate(keys.get(9), java.time.Duration.ofSeconds(7))));
            });
            assertThat(stuck).isNotDone();

            ds.stallCommits(null);
            gate.countDown();
            assertThat(stuck.get(10, TimeUnit.SECONDS)).isPositive();
            storage.flush();
        }
        assertThat(storedTexts()).containsExactly("m5", "m6", "m7", "m8", "m9", "stuck");
        try (JdbcQueuesStorage check = new JdbcQueuesStorage(real, table)) {
            assertThat(check.loadAll().get(4).message().ttl()).isEqualTo(java.time.Duration.ofSeconds(7));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void concurrentPushersThroughAnOutageStoreExactlyWhatSucceeded(String kind) throws Exception {
        FailingDataSource ds = database(kind);
        int threads = 4;
        int perThread = 400;
        Set<Long> succeeded = Collections.synchronizedSet(new HashSet<>());
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (JdbcQueuesStorage storage = new JdbcQueuesStorage(ds, table)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String queue = "peer" + t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        try {
                            long key = storage.push(queue, message(queue + ":" + i));
                            succeeded.add(key);
                            if (i % 3 == 0) {
                                storage.delete(key);
                                succeeded.remove(key);
                            }
                        } catch (StorageException e) {
                            failed.incrementAndGet();
                        }
                        done.incrementAndGet();
                    }
                }));
            }
            Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> done.get() >= threads * perThread / 4);
            ds.failing(true);
            Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> failed.get() >= 20);
            ds.failing(false);
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            storage.flush();

            assertThat(failed.get()).isGreaterThanOrEqualTo(20);
            assertThat(storage.loadAll()).extracting(StoredMessage::key).containsExactlyInAnyOrderElementsOf(succeeded);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
