package org.snakemq.reliability;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.postgresql.ds.PGSimpleDataSource;

import org.snakemq.delivery.Deliveries;
import org.snakemq.delivery.RetryPolicy;
import org.snakemq.link.Link;
import org.snakemq.link.LinkOptions;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.MessagingOptions;
import org.snakemq.packeter.Packeter;
import org.snakemq.storage.SqlDeliveryStore;

/**
 * A receiving peer whose handler inserts each message into an application table {@code app_received}
 * in the delivery store's transaction, which also records the inbox row. Listens as
 * {@code receiver} on 127.0.0.1 and writes {@code PORT <port>} once it does. Every 40th message it
 * writes {@code IN-TX <n>} and waits 30 ms inside the transaction, so the test can kill it there.
 *
 * <p>Arguments: sqlite|postgres fileOrUrl port (0 picks one)
 */
public final class ExactlyOnceReceiverMain {

    static final String TABLE = "app_received";

    private ExactlyOnceReceiverMain() {
    }

    static SqlDeliveryStore store(String kind, String where) {
        if (kind.equals("sqlite")) {
            return SqlDeliveryStore.sqlite(Path.of(where));
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(where);
        return SqlDeliveryStore.jdbc(ds);
    }

    static String createTable(String kind) {
        return "CREATE TABLE IF NOT EXISTS " + TABLE + " (id " + (kind.equals("sqlite") ? "INTEGER PRIMARY KEY"
                : "BIGSERIAL PRIMARY KEY") + ", sender VARCHAR(50) NOT NULL, seq INTEGER NOT NULL)";
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int port = Integer.parseInt(args[2]);
        ReceiverMain.Lines out = new ReceiverMain.Lines();
        SqlDeliveryStore store = store(kind, args[1]);
        try (Connection c = store.openTransaction(); Statement st = c.createStatement()) {
            st.execute(createTable(kind));
            c.commit();
        }
        Link link = new Link(LinkOptions.defaults());
        Messaging messaging = new Messaging("receiver", "", new Packeter(link), null, MessagingOptions.defaults());
        Deliveries deliveries = Deliveries.builder()
                .retry(new RetryPolicy(100, Duration.ofMillis(10), 2.0, Duration.ofMillis(200)))
                .transactionalHandler((delivery, tx) -> {
                    int seq = Integer.parseInt(delivery.message().text().substring("sender:".length()));
                    try (PreparedStatement insert = tx.prepareStatement(
                            "INSERT INTO " + TABLE + " (sender, seq) VALUES (?, ?)")) {
                        insert.setString(1, delivery.sender());
                        insert.setInt(2, seq);
                        insert.executeUpdate();
                    }
                    if (seq % 40 == 0) {
                        out.println("IN-TX " + seq);
                        LockSupport.parkNanos(Duration.ofMillis(30).toNanos());
                    }
                }, store)
                .attachTo(messaging);
        InetSocketAddress bound = null;
        for (int tries = 0; bound == null; tries++) {
            try {
                bound = link.addListener(new InetSocketAddress("127.0.0.1", port));
            } catch (RuntimeException e) {
                if (tries >= 100) {
                    throw e;
                }
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // the killed incarnation's port is freed soon
            }
        }
        link.start();
        out.println("PORT " + bound.getPort());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            while (in.readLine() != null) {
                // end of input stops the peer
            }
        }
        link.close();
        deliveries.close();
        store.close();
    }
}
