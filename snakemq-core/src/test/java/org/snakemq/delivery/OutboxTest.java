package org.snakemq.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.snakemq.message.Message;
import org.snakemq.messaging.MessagingOptions;
import org.snakemq.storage.SqliteQueuesStorage;
import org.snakemq.testing.TestPeer;

/** Transactional sends: a message written in the application's transaction leaves only after its commit. */
class OutboxTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private SqliteQueuesStorage storage(Path file) {
        return new SqliteQueuesStorage(file, SqliteQueuesStorage.Durability.PROCESS_CRASH,
                SqliteQueuesStorage.Access.SHARED);
    }

    private static Connection transaction(Path file) throws Exception {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 30000");
            st.execute("CREATE TABLE IF NOT EXISTS orders (body TEXT)");
        }
        return c;
    }

    @Test
    void aCommittedSendIsDeliveredAndARolledBackOneNeverLeaves() throws Exception {
        Path file = dir.resolve("alice.db");
        try (TestPeer bob = new TestPeer("bob"); SqliteQueuesStorage queues = storage(file);
             TestPeer alice = new TestPeer("alice", queues, MessagingOptions.defaults())) {
            InetSocketAddress address = bob.listen();
            bob.start();
            Outbox outbox = new Outbox(alice.messaging);
            try (Connection tx = transaction(file)) {
                try (Statement st = tx.createStatement()) {
                    st.execute("INSERT INTO orders VALUES ('rolled back')");
                }
                outbox.send(tx, "bob", Message.of("never"));
                tx.rollback();
            }
            Outbox.Pending pending;
            try (Connection tx = transaction(file)) {
                try (Statement st = tx.createStatement()) {
                    st.execute("INSERT INTO orders VALUES ('kept')");
                }
                pending = outbox.send(tx, "bob", Message.of("order kept").withHeader("order", "17"));
                tx.commit();
            }
            pending.committed();
            pending.committed(); // a second call changes nothing
            alice.connectTo(address).start();
            await().atMost(WAIT).until(() -> alice.sent.size() == 1);
            assertThat(bob.textsFrom("alice")).containsExactly("order kept");
            assertThat(bob.received.get(0).message().headers().get("order")).isEqualTo("17");
            assertThat(count(file, "SELECT count(*) FROM orders")).isEqualTo(1);
            await().atMost(WAIT).until(() -> count(file, "SELECT count(*) FROM items") == 0);
        }
    }

    @Test
    void aMessageCommittedButNotYetQueuedWhenTheProcessStoppedIsSentAfterTheRestart() throws Exception {
        Path file = dir.resolve("alice.db");
        try (SqliteQueuesStorage queues = storage(file);
             TestPeer alice = new TestPeer("alice", queues, MessagingOptions.defaults())) {
            Outbox outbox = new Outbox(alice.messaging);
            try (Connection tx = transaction(file)) {
                outbox.send(tx, "bob", Message.of("survives").withHeader("order", "18"));
                tx.commit();
            }
            // the process ends here, before committed() was called
        }
        try (TestPeer bob = new TestPeer("bob"); SqliteQueuesStorage queues = storage(file);
             TestPeer alice = new TestPeer("alice", queues, MessagingOptions.defaults())) {
            InetSocketAddress address = bob.listen();
            bob.start();
            alice.connectTo(address).start();
            await().atMost(WAIT).until(() -> bob.textsFrom("alice").size() == 1);
            assertThat(bob.textsFrom("alice")).containsExactly("survives");
            assertThat(bob.received.get(0).message().headers().get("order")).as("stored with the message").isEqualTo("18");
        }
    }

    @Test
    void anOutboxNeedsAStorageThatTakesPartInTransactions() {
        try (TestPeer alice = new TestPeer("alice")) {
            assertThatThrownBy(() -> new Outbox(alice.messaging)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("transactional sends need");
        }
    }

    private static long count(Path file, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
