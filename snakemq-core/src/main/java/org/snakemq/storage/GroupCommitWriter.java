package org.snakemq.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakemq.message.Message;

/**
 * The one thread that writes a storage's table, with group commit: every operation is queued, and
 * the thread commits whatever is queued when it gets to it (up to about {@value #MAX_BATCH_ROWS}
 * rows) in one transaction with JDBC batches. Pushers block until their transaction committed, so
 * concurrent pushers share one commit; deletes and TTL updates return at once and ride along in the
 * next transaction, in call order.
 *
 * <p>When a transaction fails, its pushes fail (their callers get a {@link StorageException}), the
 * connection is thrown away, and its deletes and TTL updates are kept and retried first in the next
 * transaction, at once when new work arrives and otherwise after a growing pause. They are never
 * dropped: if they still cannot be written at {@link #close()}, close reports how many, and their
 * rows stay (at-least-once: those messages are loaded again on the next start).
 */
final class GroupCommitWriter {

    private static final Logger log = LoggerFactory.getLogger("snakemq.storage");

    /** Rows one transaction collects from the queue before committing (a larger pushAll stays whole). */
    static final int MAX_BATCH_ROWS = 1000;
    private static final long RETRY_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long RETRY_MAX_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String where;
    private final SqlDialect dialect;
    private final ConnectionFactory connections;
    // lock-free, so that many pushers and the loop thread never queue up behind one another's lock
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    /** Set by the writer before it parks; the first producer to clear it unparks the writer. */
    private final AtomicBoolean writerParked = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean terminated;

    // owned by the writer thread
    private Connection connection;
    private SqlStatements statements;
    private final SqlStatements.KeyCounter keys = new SqlStatements.KeyCounter();
    private final ArrayDeque<Object> unapplied = new ArrayDeque<>();
    private long retryDelayNanos;
    private long retryAtNanos;
    private int failedTransactions;
    private long transactions;
    private long rowsWritten;
    private long lastWarningNanos;
    private long[] deleteBuffer = new long[256];

    /**
     * Takes over {@code first}, an open connection on a checked schema, and starts the thread.
     *
     * @param where names the database in messages
     */
    /** Stores a message in the caller's transaction; see {@link TransactionalQueuesStorage#pushIn}. */
    long pushIn(Connection transaction, String queue, Message message) {
        try {
            return SqlStatements.insertOne(dialect, keys, transaction, queue, message);
        } catch (SQLException e) {
            throw new StorageException(where + ": cannot store a message in the caller's transaction: "
                    + e.getMessage(), e);
        }
    }

    GroupCommitWriter(String where, SqlDialect dialect, ConnectionFactory connections, Connection first) {
        this.where = where;
        this.dialect = dialect;
        this.connections = connections;
        this.connection = first;
        try {
            this.statements = new SqlStatements(dialect, where, first, keys);
        } catch (SQLException e) {
            SqlResources.closeQuietly(first);
            throw new StorageException(where + ": cannot prepare statements: " + e.getMessage(), e);
        }
        this.thread = new Thread(this::run, "snakemq-storage-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a batch and blocks, uninterruptibly, until it committed; returns the keys in order. */
    long[] push(String queueName, List<Message> messages) {
        PushRequest request = submit(queueName, messages);
        await(request.done());
        return request.keys();
    }

    /**
     * Queues a batch without waiting; the future completes with the keys on the writer thread once
     * the batch committed, or exceptionally with a {@link StorageException}.
     */
    CompletableFuture<long[]> pushAsync(String queueName, List<Message> messages) {
        PushRequest request = submit(queueName, messages);
        return request.done().thenApply(done -> request.keys());
    }

    private PushRequest submit(String queueName, List<Message> messages) {
        Objects.requireNonNull(queueName, "queue");
        PushRequest request = new PushRequest(queueName, List.copyOf(messages));
        if (messages.isEmpty()) {
            request.done().complete(null);
        } else if (closing) {
            request.done().completeExceptionally(new StorageException(where + ": storage is closed"));
        } else {
            enqueue(request);
        }
        return request;
    }

    /** Queues a delete; never blocks. */
    void delete(long key) {
        if (closing) {
            log.warn("{}: delete of key {} after close ignored; the message stays stored and is loaded again "
                    + "on the next start", where, key);
            return;
        }
        enqueue(new DeleteOp(key));
    }

    /** Queues TTL updates; never blocks. */
    void updateTtls(List<QueuesStorage.TtlUpdate> updates) {
        if (updates.isEmpty()) {
            return;
        }
        if (closing) {
            log.warn("{}: {} TTL updates after close ignored", where, updates.size());
            return;
        }
        enqueue(new TtlOp(List.copyOf(updates)));
    }

    /** Blocks until everything queued before is committed. */
    void flush() {
        if (closing) {
            return;
        }
        FlushOp flush = new FlushOp(new CompletableFuture<>());
        enqueue(flush);
        await(flush.done());
    }

    /** Reads every row in key order, after what was queued before. */
    List<StoredMessage> loadAll() {
        if (closing) {
            throw new StorageException(where + ": storage is closed");
        }
        LoadOp load = new LoadOp(new CompletableFuture<>());
        enqueue(load);
        return await(load.done());
    }

    /**
     * Commits what is queued, stops the thread and closes the connection.
     *
     * @throws StorageException when deletes or TTL updates could not be written
     */
    void close() {
        if (closing) {
            return;
        }
        closing = true;
        StopOp stop = new StopOp(new CompletableFuture<>());
        enqueue(stop);
        int unwritten = await(stop.done());
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (unwritten > 0) {
            throw new StorageException(where + ": " + unwritten + " deletes/TTL updates could not be written before "
                    + "close (see the log); their messages stay stored and are loaded again on the next start");
        }
    }

    private void enqueue(Object op) {
        queue.add(op);
        if (writerParked.get() && writerParked.compareAndSet(true, false)) {
            LockSupport.unpark(thread);
        }
        // the writer sets terminated before its final drain, so either it drains op or we take it back
        if (terminated && queue.remove(op)) {
            fail(op, new StorageException(where + ": storage is closed"));
        }
    }

    private <T> T await(CompletableFuture<T> done) {
        try {
            return done.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            // a fresh exception so the caller's stack shows where it called from
            throw new StorageException(cause.getMessage(), cause);
        }
    }

    // ------------------------------------------------------------------ writer thread

    private void run() {
        try {
            while (true) {
                Object first = nextOp();
                if (first instanceof StopOp stop) {
                    stop(stop);
                    return;
                } else if (first instanceof LoadOp load) {
                    load(load);
                } else {
                    commit(collect(first));
                }
            }
        } catch (Throwable e) {
            log.error("{}: storage writer failed", where, e);
        } finally {
            terminated = true;
            StorageException closed = new StorageException(where + ": storage is closed");
            for (Object op; (op = queue.poll()) != null; ) {
                fail(op, closed);
            }
            discardConnection();
        }
    }

    /** The next queued op, or {@code null} when a retry of unapplied changes is due. */
    private Object nextOp() {
        while (true) {
            Object op = queue.poll();
            if (op != null) {
                return op;
            }
            long wait = unapplied.isEmpty() ? Long.MAX_VALUE : retryAtNanos - System.nanoTime();
            if (wait <= 0) {
                return null;
            }
            writerParked.set(true);
            op = queue.poll(); // an op queued before the flag was set would not unpark us
            if (op != null) {
                writerParked.set(false);
                return op;
            }
            if (wait == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, wait);
            }
            writerParked.set(false);
            // only close() stops the writer: a stray interrupt must not drop queued deletes
            Thread.interrupted();
        }
    }

    private List<Object> collect(Object first) {
        List<Object> batch = new ArrayList<>();
        int rows = unapplied.size();
        if (first != null) {
            batch.add(first);
            rows += weight(first);
        }
        while (rows < MAX_BATCH_ROWS) {
            Object next = queue.peek();
            if (next == null || next instanceof LoadOp || next instanceof StopOp) {
                break;
            }
            queue.poll();
            batch.add(next);
            rows += weight(next);
        }
        return batch;
    }

    private static int weight(Object op) {
        if (op instanceof PushRequest push) {
            return push.messages().size();
        } else if (op instanceof TtlOp ttl) {
            return ttl.updates().size();
        } else if (op instanceof DeleteOp) {
            return 1;
        }
        return 0;
    }

    /** Writes the batch, after the changes left from failed transactions, in one transaction. */
    private void commit(List<Object> batch) {
        List<PushRequest> pushes = new ArrayList<>();
        List<FlushOp> flushes = new ArrayList<>();
        List<Object> changes = new ArrayList<>(unapplied);
        for (Object op : batch) {
            if (op instanceof PushRequest push) {
                pushes.add(push);
            } else if (op instanceof FlushOp flush) {
                flushes.add(flush);
            } else {
                changes.add(op);
            }
        }
        try {
            ensureConnection();
            // a delete or TTL update names a key its push returned, after that push committed, so
            // changes never concern rows inserted in the same transaction: inserts may go last
            applyChanges(changes);
            if (!pushes.isEmpty()) {
                statements.insert(pushes);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            failed(e, pushes, changes, flushes);
            return;
        }
        transactions++;
        for (PushRequest push : pushes) {
            rowsWritten += push.messages().size();
        }
        for (Object change : changes) {
            rowsWritten += weight(change);
        }
        if (failedTransactions > 0) {
            log.info("{}: writing to storage works again after {} failed transactions; {} deletes/TTL updates kept "
                    + "from them written", where, failedTransactions, unapplied.size());
            failedTransactions = 0;
            retryDelayNanos = 0;
        }
        unapplied.clear();
        for (PushRequest push : pushes) {
            push.done().complete(null);
        }
        for (FlushOp flush : flushes) {
            flush.done().complete(null);
        }
    }

    private void applyChanges(List<Object> changes) throws SQLException {
        int deletes = 0;
        for (Object op : changes) {
            if (op instanceof DeleteOp delete) {
                if (deletes == deleteBuffer.length) {
                    deleteBuffer = Arrays.copyOf(deleteBuffer, deletes * 2);
                }
                deleteBuffer[deletes++] = delete.key();
            } else if (op instanceof TtlOp ttl) {
                if (deletes > 0) {
                    statements.delete(deleteBuffer, deletes);
                    deletes = 0;
                }
                statements.updateTtls(ttl.updates());
            }
        }
        if (deletes > 0) {
            statements.delete(deleteBuffer, deletes);
        }
    }

    private void failed(Exception e, List<PushRequest> pushes, List<Object> changes, List<FlushOp> flushes) {
        discardConnection();
        unapplied.clear();
        unapplied.addAll(changes);
        retryDelayNanos = retryDelayNanos == 0 ? RETRY_MIN_NANOS : Math.min(retryDelayNanos * 2, RETRY_MAX_NANOS);
        retryAtNanos = System.nanoTime() + retryDelayNanos;
        failedTransactions++;
        long now = System.nanoTime();
        // one warning when an outage starts and then one every few seconds, not one per push
        boolean warn = failedTransactions == 1 || now - lastWarningNanos > WARNING_INTERVAL_NANOS;
        if (warn || log.isDebugEnabled()) {
            String text = "{}: writing to storage failed ({} failed transactions in a row; now {} pushes failed, "
                    + "{} deletes/TTL updates kept, retrying in {} ms): {}";
            Object[] args = {where, failedTransactions, pushes.size(), unapplied.size(),
                    TimeUnit.NANOSECONDS.toMillis(retryDelayNanos), e.toString()};
            if (warn) {
                lastWarningNanos = now;
                log.warn(text, args);
            } else {
                log.debug(text, args);
            }
        }
        String message = where + ": " + e.getMessage();
        for (PushRequest push : pushes) {
            push.done().completeExceptionally(new StorageException(message, e));
        }
        for (FlushOp flush : flushes) {
            flush.done().completeExceptionally(new StorageException(where + ": " + unapplied.size()
                    + " deletes/TTL updates are not written yet and will be retried: " + e.getMessage(), e));
        }
    }

    private void load(LoadOp load) {
        try {
            ensureConnection();
            List<StoredMessage> rows = statements.loadAll();
            connection.commit();
            load.done().complete(rows);
        } catch (SQLException | RuntimeException e) {
            discardConnection();
            load.done().completeExceptionally(new StorageException(where + ": cannot load queues: " + e.getMessage(), e));
        }
    }

    private void stop(StopOp stop) {
        if (!unapplied.isEmpty()) {
            commit(List.of());
        }
        if (!unapplied.isEmpty()) {
            log.error("{}: closing with {} deletes/TTL updates not written; their messages stay stored and are loaded "
                    + "again on the next start", where, unapplied.size());
        }
        discardConnection();
        log.debug("{}: closed after {} transactions writing {} rows ({} per transaction)", where, transactions,
                rowsWritten, transactions == 0 ? 0 : rowsWritten / transactions);
        stop.done().complete(unapplied.size());
    }

    private void ensureConnection() throws SQLException {
        if (connection == null) {
            Connection opened = connections.open();
            try {
                statements = new SqlStatements(dialect, where, opened, keys);
            } catch (SQLException | RuntimeException e) {
                SqlResources.closeQuietly(opened);
                throw e;
            }
            connection = opened;
        }
    }

    private void discardConnection() {
        if (statements != null) {
            statements.close();
            statements = null;
        }
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException | RuntimeException e) {
                log.debug("{}: rollback failed", where, e);
            }
            SqlResources.closeQuietly(connection);
            connection = null;
        }
    }

    private static void fail(Object op, StorageException e) {
        if (op instanceof PushRequest push) {
            push.done().completeExceptionally(e);
        } else if (op instanceof FlushOp flush) {
            flush.done().completeExceptionally(e);
        } else if (op instanceof LoadOp load) {
            load.done().completeExceptionally(e);
        } else if (op instanceof StopOp stop) {
            stop.done().complete(0);
        } else {
            log.warn("{} not written: {}", op, e.getMessage());
        }
    }

    private record DeleteOp(long key) {
    }

    private record TtlOp(List<QueuesStorage.TtlUpdate> updates) {
    }

    private record FlushOp(CompletableFuture<Void> done) {
    }

    private record LoadOp(CompletableFuture<List<StoredMessage>> done) {
    }

    private record StopOp(CompletableFuture<Integer> done) {
    }
}
