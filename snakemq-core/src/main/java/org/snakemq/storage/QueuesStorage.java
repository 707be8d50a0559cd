package org.snakemq.storage;

import java.time.Duration;
import java.util.List;

import org.snakemq.message.Message;

/**
 * Persistent outgoing queues. Messaging stores a {@link Message#FLAG_PERSISTENT} message on
 * {@code send} and deletes it once the queue lets go of it (acknowledged, or fully written to a peer
 * that does not acknowledge, or dropped because its TTL ran out).
 *
 * <p>Threads: {@link #push} and {@link #pushAll} are called by application threads that send and
 * must be safe to call concurrently; {@link #delete} and {@link #updateTtls} are called on the link's
 * loop thread and must not block on I/O (queue the work and apply it soon, in call order).
 */
public interface QueuesStorage extends AutoCloseable {

    /** Every stored message in insertion order (FIFO per queue). Called once before the link runs. */
    List<StoredMessage> loadAll();

    /**
     * Stores a message durably and returns its key. Returns only once the message would survive a
     * crash of the process.
     *
     * @throws StorageException when the message could not be stored; nothing stored before is lost
     */
    long push(String queue, Message message);

    /** Stores several messages of one queue in one durable batch; returns their keys in order. */
    default long[] pushAll(String queue, List<Message> messages) {
        long[] keys = new long[messages.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = push(queue, messages.get(i));
        }
        return keys;
    }

    /** Removes a message. May be applied asynchronously but must not be lost by a clean close. */
    void delete(long key);

    /** Records the TTL left for stored messages (after the queue pruned them on connect). */
    void updateTtls(List<TtlUpdate> updates);

    /** Waits until every queued delete and update is durable. */
    default void flush() {
    }

    /** Flushes and releases the storage. */
    @Override
    void close();

    /**
     * A TTL change for one stored message.
     *
     * @param key the message's storage key
     * @param ttl the TTL left, {@code null} for infinite
     */
    record TtlUpdate(long key, Duration ttl) {
    }
}
