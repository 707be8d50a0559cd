package org.snakemq.reliability;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.snakemq.link.Link;
import org.snakemq.link.LinkOptions;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.MessagingOptions;
import org.snakemq.packeter.Packeter;
import org.snakemq.storage.SqliteQueuesStorage;
import org.snakemq.storage.StoredMessage;

/**
 * A sending peer with SQLite storage for the crash loop. Loads its stored queue, connects to the
 * receiver, and pushes persistent messages {@code sender:<n>} for n in [from, to) in batches at a
 * steady pace, writing {@code PUSHED <last n>} once a batch is durable. Continues after the highest
 * stored n, so a restarted sender never pushes a message twice. Message ids are derived from n.
 * Prints {@code DONE} when everything is pushed and {@code EMPTY} once its queue is empty; end of
 * stdin closes it cleanly.
 *
 * <p>Arguments: dbFile host port from to messagesPerSecond
 */
public final class SenderMain {

    static final long ID_HIGH = 0x5EED_0000_0000_0000L;
    private static final int BATCH = 100;

    private SenderMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        InetSocketAddress address = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        int from = Integer.parseInt(args[3]);
        int to = Integer.parseInt(args[4]);
        int perSecond = Integer.parseInt(args[5]);
        ReceiverMain.Lines out = new ReceiverMain.Lines();

        SqliteQueuesStorage storage = new SqliteQueuesStorage(file);
        int highestStored = -1;
        List<StoredMessage> stored = storage.loadAll();
        for (StoredMessage row : stored) {
            highestStored = Math.max(highestStored, sequence(row.message()));
        }
        out.println("LOADED " + stored.size() + " " + highestStored);
        Link link = new Link(LinkOptions.defaults().withReconnectInterval(Duration.ofMillis(100)));
        Messaging messaging = new Messaging("sender", "", new Packeter(link), storage, MessagingOptions.defaults());
        messaging.onConnect().add((c, peer) -> out.println("UP " + peer));
        link.addConnector(address);
        link.start();

        long pauseNanos = TimeUnit.SECONDS.toNanos(1) * BATCH / perSecond;
        for (int first = Math.max(from, highestStored + 1); first < to; first += BATCH) {
            long started = System.nanoTime();
            List<Message> batch = new ArrayList<>(BATCH);
            int last = Math.min(to, first + BATCH) - 1;
            for (int n = first; n <= last; n++) {
                batch.add(new Message(new UUID(ID_HIGH, n), ("sender:" + n).getBytes(StandardCharsets.US_ASCII),
                        null, Message.FLAG_PERSISTENT));
            }
            messaging.sendAll("receiver", batch);
            out.println("PUSHED " + last);
            LockSupport.parkNanos(pauseNanos - (System.nanoTime() - started)); // the sending application's pace
        }
        out.println("DONE");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (messaging.queueSize("receiver") > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        out.println(messaging.queueSize("receiver") == 0 ? "EMPTY" : "NOT EMPTY");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            while (in.readLine() != null) {
                // commands are not used; end of input means stop
            }
        }
        link.close();
        messaging.close();
        storage.close();
        out.println("CLOSED");
    }

    static int sequence(Message message) {
        String text = message.text();
        return Integer.parseInt(text.substring(text.indexOf(':') + 1));
    }
}
