package org.snakemq.spring;

import java.sql.Connection;
import java.util.Objects;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import org.snakemq.delivery.Outbox;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;

/**
 * Sends that follow the application's Spring transaction: inside an active transaction on the
 * storage's {@link DataSource} ({@code snakemq.storage.type=jdbc}), a persistent message is written
 * in that transaction and queued for the network only after it commits; after a rollback it is
 * never sent; if the process dies between the commit and the queueing, the next start sends it.
 * Outside a transaction it is an ordinary {@link Messaging#send}.
 *
 * <p>Threads: thread-safe; the after-commit step runs on the committing thread.
 */
public final class SnakeMqOutbox {

    private final Messaging messaging;
    private final Outbox outbox;
    private final DataSource dataSource;

    public SnakeMqOutbox(Messaging messaging, DataSource dataSource) {
        this.messaging = Objects.requireNonNull(messaging, "messaging");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.outbox = new Outbox(messaging);
    }

    /** Sends a persistent message; inside a transaction only once it commits. */
    public void send(String destination, Message message) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            messaging.send(destination, message.persistent());
            return;
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        Outbox.Pending pending = outbox.send(connection, destination, message);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                pending.committed();
            }
        });
    }
}
