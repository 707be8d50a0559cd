package org.snakemq.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.snakemq.message.Message;

/**
 * A {@link QueuesStorage} kept in memory: survives nothing, but behaves like the real ones. Meant for
 * tests and for peers that want the persistent code path without a disk. {@link #close()} keeps the
 * rows, so a test can stop a peer and start another on the same instance, as after a restart.
 * Thread-safe, as every {@link QueuesStorage} is.
 */
public final class MemoryQueuesStorage implements QueuesStorage {

    private final TreeMap<Long, StoredMessage> rows = new TreeMap<>();
    private long nextKey = 1;

    @Override
    public synchronized List<StoredMessage> loadAll() {
        return new ArrayList<>(rows.values());
    }

    @Override
    public synchronized long push(String queue, Message message) {
        long key = nextKey++;
        rows.put(key, new StoredMessage(key, queue, message));
        return key;
    }

    @Override
    public synchronized void delete(long key) {
        rows.remove(key);
    }

    @Override
    public synchronized void updateTtls(List<TtlUpdate> updates) {
        for (TtlUpdate update : updates) {
            rows.computeIfPresent(update.key(), (k, row) ->
                    new StoredMessage(k, row.queue(), row.message().withTtl(update.ttl())));
        }
    }

    /** The number of stored messages. */
    public synchronized int size() {
        return rows.size();
    }

    /** A snapshot of the stored messages by key. */
    public synchronized Map<Long, StoredMessage> snapshot() {
        return new TreeMap<>(rows);
    }

    @Override
    public void close() {
        // rows stay, see the class comment
    }
}
