package org.snakemq.storage;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.snakemq.message.Message;

/** The {@link QueuesStorage} operations of a storage whose work is done by a {@link GroupCommitWriter}. */
abstract class WriterBackedStorage implements TransactionalQueuesStorage {

    /** The writer that owns the database connection. */
    abstract GroupCommitWriter writer();

    @Override
    public List<StoredMessage> loadAll() {
        return writer().loadAll();
    }

    @Override
    public long push(String queue, Message message) {
        return writer().push(queue, List.of(message))[0];
    }

    @Override
    public CompletableFuture<Long> pushAsync(String queue, Message message) {
        return writer().pushAsync(queue, List.of(message)).thenApply(keys -> keys[0]);
    }

    @Override
    public long[] pushAll(String queue, List<Message> messages) {
        return writer().push(queue, messages);
    }

    @Override
    public long pushIn(Connection transaction, String queue, Message message) {
        return writer().pushIn(transaction, queue, message);
    }

    @Override
    public void delete(long key) {
        writer().delete(key);
    }

    @Override
    public void updateTtls(List<TtlUpdate> updates) {
        writer().updateTtls(updates);
    }

    @Override
    public void flush() {
        writer().flush();
    }

    @Override
    public void close() {
        writer().close();
    }
}
