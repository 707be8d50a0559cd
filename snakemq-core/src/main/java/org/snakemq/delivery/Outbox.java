package org.snakemq.delivery;

import java.sql.Connection;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.storage.TransactionalQueuesStorage;

/**
 * Transactional sends: a message written in the application's own transaction on the storage's
 * database leaves only if that transaction commits.
 *
 * <pre>{@code
 * try (Connection tx = dataSource.getConnection()) {
 *     tx.setAutoCommit(false);
 *     insertOrder(tx, order);
 *     Outbox.Pending pending = outbox.send(tx, "billing", Message.of(order.json()));
 *     tx.commit();
 *     pending.committed();   // queued for the network now; after a crash first, at the next start
 * }
 * }</pre>
 *
 * <p>Threads: thread-safe.
 */
public final class Outbox {

    private final Messaging messaging;
    private final TransactionalQueuesStorage storage;

    /** @throws IllegalArgumentException when the messaging's storage cannot take part in transactions */
    public Outbox(Messaging messaging) {
        this.messaging = Objects.requireNonNull(messaging, "messaging");
        if (!(messaging.storage() instanceof TransactionalQueuesStorage transactional)) {
            throw new IllegalArgumentException("transactional sends need an SQLite (shared) or JDBC queue storage, not "
                    + messaging.storage());
        }
        this.storage = transactional;
    }

    /**
     * Writes a persistent message in the caller's transaction. Nothing is sent until the caller
     * commits and calls {@link Pending#committed()}; after a rollback, drop the returned handle.
     */
    public Pending send(Connection transaction, String destination, Message message) {
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(destination, "destination");
        Message persistent = message.persistent();
        long key = storage.pushIn(transaction, destination, persistent);
        return new Pending(destination, persistent, key);
    }

    /**
     * A message written in a transaction, waiting for its commit.
     * Use it on the thread that owns the transaction: call {@link #committed()} after the commit.
     */
    public final class Pending {
        private final String destination;
        private final Message message;
        private final long key;
        private final AtomicBoolean queued = new AtomicBoolean();

        private Pending(String destination, Message message, long key) {
            this.destination = destination;
            this.message = message;
            this.key = key;
        }

        public Message message() {
            return message;
        }

        /** The transaction committed: queue the message for the network (once; later calls are ignored). */
        public void committed() {
            if (queued.compareAndSet(false, true)) {
                messaging.enqueueStored(destination, message, key);
            }
        }
    }
}
