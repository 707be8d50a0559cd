package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteDataSource;

import org.snakemq.message.Message;
import org.snakemq.storage.JdbcQueuesStorage;
import org.snakemq.storage.QueuesStorage;
import org.snakemq.storage.SqliteQueuesStorage;
import org.snakemq.testing.TestPeer;

/**
 * Persistent queues over a real SQLite file: stored on send, loaded after a restart, deleted once
 * delivered; headers included.
 */
class SqlitePersistenceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aRestartedPeerDeliversWhatItHadStoredInOrderWithTheTtlLeft(@TempDir Path dir) {
        Path file = dir.resolve("bob.db");
        List<String> expected = new ArrayList<>();
        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(file);
             TestPeer bob = new TestPeer("bob", storage, MessagingOptions.defaults()).start()) {
            for (int i = 0; i < 500; i++) {
                bob.messaging.send("alice", Message.of("single " + i).withTtl(Duration.ofHours(2)).persistent());
                expected.add("single " + i);
            }
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                batch.add(Message.of("batch " + i).persistent());
                expected.add("batch " + i);
            }
            bob.messaging.sendAll("alice", batch);
            bob.messaging.send("alice", Message.of("transient: gone with the process"));
        }
        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(file);
             TestPeer bob = new TestPeer("bob", storage, MessagingOptions.defaults()).start();
             TestPeer alice = new TestPeer("alice")) {
            alice.connectTo(bob.listen()).start();
            await().atMost(WAIT).until(() -> alice.received.size() >= expected.size());
            assertThat(alice.textsFrom("bob")).isEqualTo(expected);
            Duration ttl = alice.received.get(0).message().ttl();
            assertThat(ttl).isBetween(Duration.ofMinutes(119), Duration.ofHours(2));
            assertThat(alice.received.get(600).message().ttl()).isNull();
            await().atMost(WAIT).until(() -> bob.messaging.queueSize("alice") == 0);
            bob.messaging.close();
            storage.flush();
            assertThat(storage.loadAll()).as("delivered messages are deleted").isEmpty();
        }
    }

    /** The sender stores, stops, starts again on the same file and delivers the messages with their headers. */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "jdbc-sqlite"})
    void storedHeadersSurviveARestartOfTheSender(String kind, @TempDir Path dir) {
        Path file = dir.resolve("bob.db");
        List<Message> sent = new ArrayList<>();
        try (QueuesStorage storage = storage(kind, file);
             TestPeer bob = new TestPeer("bob", storage, MessagingOptions.defaults()).start()) {
            for (int i = 0; i < 60; i++) {
                Message m = Message.of("m" + i).persistent();
                sent.add(i % 2 == 0 ? m.withHeader("n", Integer.toString(i)).withHeader("type", "text/plain") : m);
            }
            bob.messaging.send("alice", sent.get(0));
            bob.messaging.sendAll("alice", sent.subList(1, sent.size()));
        }
        try (QueuesStorage storage = storage(kind, file);
             TestPeer bob = new TestPeer("bob", storage, MessagingOptions.defaults()).start();
             TestPeer alice = new TestPeer("alice")) {
            alice.connectTo(bob.listen()).start();
            await().atMost(WAIT).until(() -> alice.received.size() >= sent.size());
            assertThat(alice.received.snapshot()).extracting(r -> r.message()).containsExactlyElementsOf(sent);
            await().atMost(WAIT).until(() -> bob.messaging.queueSize("alice") == 0);
        }
    }

    private static QueuesStorage storage(String kind, Path file) {
        if (kind.equals("sqlite")) {
            return new SqliteQueuesStorage(file);
        }
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file);
        return new JdbcQueuesStorage(dataSource);
    }
}
