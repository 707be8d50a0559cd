package org.snakemq.storage;

import java.sql.Connection;

import org.snakemq.message.Message;

/**
 * Persistent queues in a database the application can write in its own transactions: a message
 * stored with {@link #pushIn} is part of the caller's transaction (the transactional outbox). The
 * SQLite file must be opened with {@link SqliteQueuesStorage.Access#SHARED}.
 * Thread-safe; {@link #pushIn} runs on the thread that owns the transaction.
 */
public interface TransactionalQueuesStorage extends QueuesStorage {

    /**
     * Stores a message with the caller's connection, without committing: it exists once the caller
     * commits and never if the caller rolls back. After a commit, hand it to the queue with
     * {@code Messaging.enqueueStored}; if the process dies first, the next start loads it.
     *
     * @return the message's storage key
     * @throws StorageException when the row cannot be written
     */
    long pushIn(Connection transaction, String queue, Message message);
}
