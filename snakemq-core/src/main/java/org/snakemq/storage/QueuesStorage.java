package org.snakemq.storage;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.snakemq.message.Message;

/**
 * Persistent outgoing queues. Messaging stores a {@link Message#FLAG_PERSISTENT} message on
 * {@code send} and deletes it once the queue lets go of it (acknowledged, or fully written to a peer
 * that does not acknowledge, or dropped because its TTL ran out).
 *
 * <p>Threads: {@link #push} and {@link #pushAll} are called by application threads that send and
 * must be safe to call concurrently; {@link #delete} and {@link #updateTtls} are called on the link's
 * loop thread and must not block on I/O (queue the work and apply it soon, in call order).
 *
 * <p>Keys are positive, unique for the storage's life (never reused, also after a reopen) and grow
 * in the order pushes were stored, so {@link #loadAll()} in key order is FIFO per queue. Deletes and
 * updates of keys that are gone are ignored. A delete or update that cannot be written is kept and
 * retried, never dropped silently: {@link #flush()} and {@link #close()} report it; its message then
 * stays stored and is loaded again on the next start (at least once, never lost).
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

    /**
     * Stores a message like {@link #push} without waiting: the future completes with the key once
     * the message is durable, or exceptionally with a {@link StorageException}. Lets one thread keep
     * many pushes in flight, so they share commits. The future may complete on the storage's own
     * thread: dependent actions must be short and must not block. The default pushes synchronously.
     */
    default CompletableFuture<Long> pushAsync(String queue, Message message) {
        try {
            return CompletableFuture.completedFuture(push(queue, message));
        } catch (StorageException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Removes a message. May be applied asynchronously but must not be lost by a clean close. */
    void delete(long key);

    /** Records the TTL left for stored messages (after the queue pruned them on connect). */
    void updateTtls(List<TtlUpdate> updates);

    /**
     * Waits until every queued delete and update is durable.
     *
     * @throws StorageException when some could not be written yet; they stay queued and are retried
     */
    default void flush() {
    }

    /**
     * Flushes and releases the storage. Pushing afterwards throws; deleting afterwards is ignored
     * (and logged) so that a late delete from the loop thread cannot kill it.
     *
     * @throws StorageException when queued deletes or updates could not be written (see the class comment)
     */
    @Override
    void close();

    /**
     * A TTL change for one stored message. Immutable; messaging hands these over on the loop thread.
     *
     * @param key the message's storage key
     * @param ttl the TTL left, {@code null} for infinite
     */
    record TtlUpdate(long key, Duration ttl) {
    }
}
