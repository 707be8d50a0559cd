package org.snakemq.storage;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The durable inbox: ids of received messages the application completed, so that a restarted
 * receiver does not hand over again a message its sender repeats. Retention is bounded by count per
 * sender and by age; a repeat that arrives after its id was let go is handled again.
 *
 * <p>Threads: {@link #record} is called from handler threads and may complete on the store's own
 * thread; the rest from any thread.
 */
public interface InboxStore extends AutoCloseable {

    /** The ids each sender's completed messages, newest last, at most {@code perSender} per sender. */
    Map<String, List<UUID>> loadCompleted(int perSender);

    /**
     * Records a completed message; the future completes once the record is durable. Records of
     * several threads share commits.
     */
    CompletableFuture<Void> record(String sender, UUID id);

    /**
     * Records a completed message inside the caller's transaction, so it commits or rolls back with
     * the caller's own writes (exactly-once processing).
     *
     * @throws UnsupportedOperationException when the store is not in a database the caller can reach
     */
    default void recordIn(Connection transaction, String sender, UUID id) {
        throw new UnsupportedOperationException(this + " does not take part in the application's transactions");
    }

    @Override
    void close();
}
