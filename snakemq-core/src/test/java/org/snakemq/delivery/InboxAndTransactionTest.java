package org.snakemq.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.snakemq.message.MessageIds;
import org.snakemq.storage.MemoryDeliveryStore;
import org.snakemq.storage.SqlDeliveryStore;
import org.snakemq.storage.SqliteQueuesStorage;
import org.snakemq.testing.RawPeer;
import org.snakemq.testing.Recorded;
import org.snakemq.testing.TestPeer;

/**
 * The receiving side seen from the wire (a raw peer as the sender): acknowledgements of repeats, the
 * durable inbox across a restart, handlers in the store's transaction, and original peers.
 */
class InboxAndTransactionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int ACK_UPTO = 0x42;

    @TempDir
    Path dir;

    private final Recorded<String> handled = new Recorded<>();

    private static byte[] message(UUID id, String text) {
        return RawPeer.messageFrame(id, 0xFFFFFFFFL, 0, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads the next ACK_UPTO and returns its (count, id). */
    private static Object[] readAckUpTo(RawPeer peer) throws IOException {
        ByteBuffer frame = ByteBuffer.wrap(peer.readFrame(ACK_UPTO, 50), 1, 24);
        return new Object[] {frame.getLong(), new UUID(frame.getLong(), frame.getLong())};
    }

    /** Carol (cumulative acknowledgements) sends {@code text} as message {@code id}; bob acknowledges it. */
    private static void sendAsCarolUntilAcknowledged(InetSocketAddress address, UUID id, String text)
            throws IOException {
        try (RawPeer carol = new RawPeer(address)) {
            carol.handshakeWithCumulativeAcks("carol");
            carol.sendPacket(message(id, text));
            assertThat(readAckUpTo(carol)).containsExactly(1L, id);
        }
    }

    @Test
    void aRepeatSentWhileTheFirstCopyIsBeingHandledIsHandledOnceAndAcknowledgedOnTheNewConnection() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TestPeer bob = new TestPeer("bob");
             Deliveries deliveries = Deliveries.builder().handler(d -> {
                 entered.countDown();
                 release.await();
                 handled.add(d.message().text());
             }).attachTo(bob.messaging)) {
            InetSocketAddress address = bob.listen();
            bob.start();
            UUID id = MessageIds.random();
            try (RawPeer carol = new RawPeer(address)) {
                carol.handshakeWithCumulativeAcks("carol");
                carol.sendPacket(message(id, "once"));
                assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            }
            await().atMost(WAIT).until(() -> bob.disconnects.contains("carol"));
            try (RawPeer carol = new RawPeer(address)) {
                carol.handshakeWithCumulativeAcks("carol");
                carol.sendPacket(message(id, "once"));
                await().atMost(WAIT).until(() -> bob.connects.size() == 2);
                release.countDown();
                Object[] ack = readAckUpTo(carol);
                assertThat(ack).containsExactly(1L, id);
            }
            assertThat(handled).containsExactly("once");
            assertThat(deliveries.stats().completed()).isEqualTo(1);
        }
    }

    @Test
    void aRestartedReceiverAcknowledgesAMessageItCompletedBeforeWithoutHandlingItAgain() throws Exception {
        Path file = dir.resolve("bob.db");
        UUID id = MessageIds.random();
        for (int run = 0; run < 2; run++) {
            try (SqliteQueuesStorage queues = new SqliteQueuesStorage(file, SqliteQueuesStorage.Durability.PROCESS_CRASH,
                    SqliteQueuesStorage.Access.SHARED);
                 SqlDeliveryStore store = SqlDeliveryStore.sqlite(file);
                 TestPeer bob = new TestPeer("bob", queues, org.snakemq.messaging.MessagingOptions.defaults());
                 Deliveries deliveries = Deliveries.builder().inbox(store).deadLetters(store)
                         .handler(d -> handled.add(d.message().text())).attachTo(bob.messaging)) {
                InetSocketAddress address = bob.listen();
                bob.start();
                sendAsCarolUntilAcknowledged(address, id, "pay 10");
                assertThat(deliveries.stats().completed()).isEqualTo(run == 0 ? 1 : 0);
            }
        }
        assertThat(handled).as("handled in the first run only").containsExactly("pay 10");
    }

    @Test
    void aTransactionalHandlerCommitsItsWritesAndTheInboxRecordTogether() throws Exception {
        Path file = dir.resolve("shop.db");
        AtomicInteger attempts = new AtomicInteger();
        try (SqliteQueuesStorage queues = new SqliteQueuesStorage(file, SqliteQueuesStorage.Durability.PROCESS_CRASH,
                SqliteQueuesStorage.Access.SHARED);
             SqlDeliveryStore store = SqlDeliveryStore.sqlite(file)) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE orders (sender TEXT, body TEXT)");
            }
            try (TestPeer bob = new TestPeer("bob", queues, org.snakemq.messaging.MessagingOptions.defaults());
                 Deliveries deliveries = Deliveries.builder()
                         .retry(new RetryPolicy(3, Duration.ofMillis(10), 1.0, Duration.ofMillis(10)))
                         .transactionalHandler((d, tx) -> {
                             try (PreparedStatement insert = tx.prepareStatement("INSERT INTO orders VALUES (?, ?)")) {
                                 insert.setString(1, d.sender());
                                 insert.setString(2, d.message().text());
                                 insert.executeUpdate();
                             }
                             if (attempts.incrementAndGet() == 1) {
                                 throw new IllegalStateException("fails after its insert: rolled back");
                             }
                         }, store).attachTo(bob.messaging)) {
                InetSocketAddress address = bob.listen();
                bob.start();
                UUID id = MessageIds.random();
                sendAsCarolUntilAcknowledged(address, id, "book");
                assertThat(deliveries.stats().failures()).isEqualTo(1);
                assertThat(store.loadCompleted(10).get("carol")).containsExactly(id);
            }
            assertThat(rows(file, "SELECT sender || ':' || body FROM orders")).containsExactly("carol:book");
        }
    }

    @Test
    void withAnOriginalPeerFailuresAreStillRetriedAndDeadLettered() throws Exception {
        MemoryDeliveryStore store = new MemoryDeliveryStore();
        try (TestPeer bob = new TestPeer("bob");
             Deliveries deliveries = Deliveries.builder().retry(RetryPolicy.noRetry()).deadLetters(store)
                     .handler(d -> {
                         throw new UnsupportedOperationException("no");
                     }).attachTo(bob.messaging)) {
            InetSocketAddress address = bob.listen();
            bob.start();
            try (RawPeer dave = new RawPeer(address)) {
                dave.handshake("dave");
                dave.sendPacket(message(MessageIds.random(), "from python"));
                await().atMost(WAIT).until(() -> store.count() == 1);
            }
            assertThat(store.list(1).get(0).sender()).isEqualTo("dave");
            assertThat(deliveries.stats().recovered()).isEqualTo(1);
        }
    }

    private static List<String> rows(Path file, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
