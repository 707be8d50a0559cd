package org.snakemq.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import org.snakemq.message.HeaderBlock;
import org.snakemq.message.Headers;

/**
 * The durable inbox and the dead letters in tables beside the queues: in the SQLite file of a
 * {@link SqliteQueuesStorage} opened with {@link SqliteQueuesStorage.Access#SHARED}, or in the
 * database of a JDBC {@link DataSource} (PostgreSQL, SQLite). Tables {@code snakemq_inbox} and
 * {@code snakemq_dead_letters} are created when missing.
 *
 * <p>Inbox records are group-committed by one writer thread: records from many handler threads
 * share a transaction, and each record's future completes once it is durable. Retention: at most
 * {@code inboxPerSender} records per sender and none older than {@code inboxMaxAge}, pruned as
 * records are written. {@link #openTransaction()} gives a connection for a handler's own
 * transaction, in which {@link #recordIn} writes the inbox record (exactly-once processing).
 *
 * <p>Threads: thread-safe.
 */
public final class SqlDeliveryStore implements InboxStore, DeadLetterStore {

    private static final Logger log = LoggerFactory.getLogger("snakemq.storage");
    static final String INBOX = "snakemq_inbox";
    static final String DEAD_LETTERS = "snakemq_dead_letters";
    private static final int BUSY_TIMEOUT_MILLIS = 30_000;
    private static final int MAX_BATCH = 1000;

    private final String where;
    private final ConnectionFactory connections;
    private final int inboxPerSender;
    private final long inboxMaxAgeMillis;
    private final Clock clock;
    private final InboxWriter writer;

    private SqlDeliveryStore(String where, ConnectionFactory connections, boolean sqlite, int inboxPerSender,
                             Duration inboxMaxAge, Clock clock) {
        if (inboxPerSender <= 0 || inboxMaxAge.isNegative() || inboxMaxAge.isZero()) {
            throw new IllegalArgumentException("inboxPerSender and inboxMaxAge must be positive");
        }
        this.where = where;
        this.connections = connections;
        this.inboxPerSender = inboxPerSender;
        this.inboxMaxAgeMillis = inboxMaxAge.toMillis();
        this.clock = clock;
        try (Connection c = connections.open()) {
            createTables(c, sqlite);
        } catch (SQLException e) {
            throw new StorageException(where + ": cannot prepare the inbox and dead-letter tables: " + e.getMessage(), e);
        }
        this.writer = new InboxWriter();
        writer.start();
    }

    /**
     * The store in an SQLite file, with the default retention (16,384 records per sender, 7 days).
     * The queue storage of the same file must be opened with {@link SqliteQueuesStorage.Access#SHARED}.
     */
    public static SqlDeliveryStore sqlite(Path file) {
        return sqlite(file, 16_384, Duration.ofDays(7));
    }

    public static SqlDeliveryStore sqlite(Path file, int inboxPerSender, Duration inboxMaxAge) {
        Path absolute = file.toAbsolutePath().normalize();
        ConnectionFactory connections = () -> {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
            Connection c = config.createConnection("jdbc:sqlite:" + absolute);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = NORMAL");
                c.setAutoCommit(false);
                return c;
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        };
        return new SqlDeliveryStore("SQLite delivery store " + absolute, connections, true, inboxPerSender,
                inboxMaxAge, Clock.systemUTC());
    }

    /** The store in a JDBC database, with the default retention (16,384 records per sender, 7 days). */
    public static SqlDeliveryStore jdbc(DataSource dataSource) {
        return jdbc(dataSource, 16_384, Duration.ofDays(7));
    }

    public static SqlDeliveryStore jdbc(DataSource dataSource, int inboxPerSender, Duration inboxMaxAge) {
        Objects.requireNonNull(dataSource, "dataSource");
        ConnectionFactory connections = ConnectionFactory.of(dataSource);
        boolean sqlite;
        String url;
        try (Connection c = dataSource.getConnection()) {
            sqlite = "SQLite".equalsIgnoreCase(c.getMetaData().getDatabaseProductName());
            url = JdbcQueuesStorage.stripPassword(c.getMetaData().getURL());
        } catch (SQLException e) {
            throw new StorageException("JDBC delivery store: cannot connect: " + e.getMessage(), e);
        }
        return new SqlDeliveryStore("JDBC delivery store " + url, connections, sqlite, inboxPerSender, inboxMaxAge,
                Clock.systemUTC());
    }

    private static void createTables(Connection c, boolean sqlite) throws SQLException {
        String key = sqlite ? "INTEGER PRIMARY KEY" : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
        String blob = sqlite ? "BLOB" : "BYTEA";
        try (Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE IF NOT EXISTS " + INBOX + " (id " + key
                    + ", sender VARCHAR(200) NOT NULL, uuid CHAR(36) NOT NULL, completed_at BIGINT NOT NULL)");
            st.executeUpdate("CREATE INDEX IF NOT EXISTS " + INBOX + "_sender ON " + INBOX + " (sender, id)");
            st.executeUpdate("CREATE TABLE IF NOT EXISTS " + DEAD_LETTERS + " (id " + key
                    + ", sender VARCHAR(200) NOT NULL, uuid CHAR(36) NOT NULL, data " + blob + " NOT NULL,"
                    + " flags INTEGER NOT NULL, error_class VARCHAR(500) NOT NULL, error_message TEXT NOT NULL,"
                    + " attempts INTEGER NOT NULL, failed_at BIGINT NOT NULL, headers " + blob + ")");
        }
        c.commit();
        if (!columns(c, DEAD_LETTERS).contains("headers")) {
            // a table made before dead letters kept their headers
            try (Statement st = c.createStatement()) {
                st.executeUpdate("ALTER TABLE " + DEAD_LETTERS + " ADD COLUMN headers " + blob);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (!columns(c, DEAD_LETTERS).contains("headers")) { // else another store added it meanwhile
                    throw e;
                }
            }
        }
    }

    /** The table's column names in lower case. */
    private static Set<String> columns(Connection c, String table) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                names.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
            }
        }
        c.rollback();
        return names;
    }

    /** A connection for a handler's own transaction: auto-commit off; the caller commits and closes it. */
    public Connection openTransaction() {
        try {
            return connections.open();
        } catch (SQLException e) {
            throw new StorageException(where + ": cannot open a connection: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- inbox

    @Override
    public Map<String, List<UUID>> loadCompleted(int perSender) {
        Map<String, ArrayDeque<UUID>> bySender = new LinkedHashMap<>();
        try (Connection c = connections.open();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sender, uuid FROM " + INBOX + " ORDER BY id")) {
            while (rs.next()) {
                ArrayDeque<UUID> ids = bySender.computeIfAbsent(rs.getString(1), k -> new ArrayDeque<>());
                ids.addLast(UUID.fromString(rs.getString(2)));
                if (ids.size() > perSender) {
                    ids.removeFirst();
                }
            }
            c.rollback();
        } catch (SQLException | IllegalArgumentException e) {
            throw new StorageException(where + ": cannot load the inbox: " + e.getMessage(), e);
        }
        Map<String, List<UUID>> out = new LinkedHashMap<>();
        bySender.forEach((sender, ids) -> out.put(sender, List.copyOf(ids)));
        return out;
    }

    @Override
    public CompletableFuture<Void> record(String sender, UUID id) {
        return writer.add(sender, id);
    }

    @Override
    public void recordIn(Connection transaction, String sender, UUID id) {
        try (PreparedStatement insert = transaction.prepareStatement(insertInboxSql())) {
            bindInbox(insert, sender, id, clock.millis());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new StorageException(where + ": cannot record message " + id + " in the inbox: " + e.getMessage(), e);
        }
    }

    private static String insertInboxSql() {
        return "INSERT INTO " + INBOX + " (sender, uuid, completed_at) VALUES (?, ?, ?)";
    }

    private static void bindInbox(PreparedStatement insert, String sender, UUID id, long at) throws SQLException {
        insert.setString(1, sender);
        insert.setString(2, id.toString());
        insert.setLong(3, at);
    }

    /** Deletes records beyond the retention: the oldest of each sender above the count, and old ones. */
    private void prune(Connection c, Iterable<String> senders) throws SQLException {
        try (PreparedStatement bySender = c.prepareStatement("DELETE FROM " + INBOX + " WHERE sender = ? AND id <= "
                + "(SELECT id FROM " + INBOX + " WHERE sender = ? ORDER BY id DESC LIMIT 1 OFFSET ?)");
             PreparedStatement byAge = c.prepareStatement("DELETE FROM " + INBOX + " WHERE completed_at < ?")) {
            for (String sender : senders) {
                bySender.setString(1, sender);
                bySender.setString(2, sender);
                bySender.setInt(3, inboxPerSender);
                bySender.executeUpdate();
            }
            byAge.setLong(1, clock.millis() - inboxMaxAgeMillis);
            byAge.executeUpdate();
        }
    }

    /** One thread that commits inbox records in batches. */
    private final class InboxWriter extends Thread {
        private final ArrayDeque<Pending> queue = new ArrayDeque<>();
        private final Map<String, Integer> sincePrune = new HashMap<>();
        private boolean closed;

        InboxWriter() {
            super("snakemq-inbox-writer");
            setDaemon(true);
        }

        synchronized CompletableFuture<Void> add(String sender, UUID id) {
            if (closed) {
                return CompletableFuture.failedFuture(new StorageException(where + ": closed"));
            }
            Pending pending = new Pending(sender, id, new CompletableFuture<>());
            queue.addLast(pending);
            notifyAll();
            return pending.done;
        }

        synchronized void shutdown() {
            closed = true;
            notifyAll();
        }

        private synchronized List<Pending> take() throws InterruptedException {
            while (queue.isEmpty() && !closed) {
                wait();
            }
            List<Pending> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
            while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
                batch.add(queue.pollFirst());
            }
            return batch;
        }

        @Override
        public void run() {
            Connection c = null;
            try {
                while (true) {
                    List<Pending> batch = take();
                    if (batch.isEmpty()) {
                        return; // closed and drained
                    }
                    try {
                        if (c == null) {
                            c = connections.open();
                        }
                        write(c, batch);
                        for (Pending p : batch) {
                            p.done.complete(null);
                        }
                    } catch (SQLException | RuntimeException e) {
                        StorageException failure = new StorageException(where + ": cannot record " + batch.size()
                                + " inbox entries: " + e.getMessage(), e);
                        for (Pending p : batch) {
                            p.done.completeExceptionally(failure);
                        }
                        SqlResources.closeQuietly(c);
                        c = null;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                SqlResources.closeQuietly(c);
            }
        }

        private void write(Connection c, List<Pending> batch) throws SQLException {
            long now = clock.millis();
            List<String> toPrune = new ArrayList<>();
            try (PreparedStatement insert = c.prepareStatement(insertInboxSql())) {
                for (Pending p : batch) {
                    bindInbox(insert, p.sender, p.id, now);
                    insert.addBatch();
                    int count = sincePrune.merge(p.sender, 1, Integer::sum);
                    if (count >= Math.max(1, inboxPerSender / 4)) {
                        sincePrune.put(p.sender, 0);
                        toPrune.add(p.sender);
                    }
                }
                insert.executeBatch();
                if (!toPrune.isEmpty()) {
                    prune(c, toPrune);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is closed next
                }
                throw e;
            }
        }
    }

    private record Pending(String sender, UUID id, CompletableFuture<Void> done) {
    }

    // ---------------------------------------------------------------- dead letters

    @Override
    public DeadLetter add(DeadLetter letter) {
        String sql = "INSERT INTO " + DEAD_LETTERS + " (sender, uuid, data, flags, error_class, error_message,"
                + " attempts, failed_at, headers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = connections.open();
             PreparedStatement insert = c.prepareStatement(sql, new String[] {"id"})) {
            insert.setString(1, letter.sender());
            insert.setString(2, letter.uuid().toString());
            insert.setBytes(3, letter.data());
            insert.setInt(4, letter.flags());
            insert.setString(5, letter.errorClass());
            insert.setString(6, letter.errorMessage());
            insert.setInt(7, letter.attempts());
            insert.setLong(8, letter.failedAt().toEpochMilli());
            if (letter.headers().isEmpty()) {
                insert.setNull(9, Types.VARBINARY);
            } else {
                insert.setBytes(9, HeaderBlock.encode(letter.headers()));
            }
            insert.executeUpdate();
            long id;
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no key generated");
                }
                id = keys.getLong(1);
            }
            c.commit();
            return letter.withId(id);
        } catch (SQLException e) {
            throw new StorageException(where + ": cannot store the dead letter of " + letter.uuid() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<DeadLetter> list(int limit) {
        return query("SELECT * FROM " + DEAD_LETTERS + " ORDER BY id LIMIT " + Math.max(0, limit), null);
    }

    @Override
    public Optional<DeadLetter> get(long id) {
        return query("SELECT * FROM " + DEAD_LETTERS + " WHERE id = ?", id).stream().findFirst();
    }

    private List<DeadLetter> query(String sql, Long id) {
        try (Connection c = connections.open(); PreparedStatement select = c.prepareStatement(sql)) {
            if (id != null) {
                select.setLong(1, id);
            }
            List<DeadLetter> out = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeadLetter(rs.getLong("id"), rs.getString("sender"), UUID.fromString(rs.getString("uuid")),
                            rs.getBytes("data"), rs.getInt("flags"), rs.getString("error_class"),
                            rs.getString("error_message"), rs.getInt("attempts"),
                            Instant.ofEpochMilli(rs.getLong("failed_at")), headersOf(rs)));
                }
            }
            c.rollback();
            return out;
        } catch (SQLException e) {
            throw new StorageException(where + ": cannot read dead letters: " + e.getMessage(), e);
        }
    }

    /** The stored headers; unreadable ones are logged and left out, so the letter itself stays visible. */
    private Headers headersOf(ResultSet rs) throws SQLException {
        byte[] block = rs.getBytes("headers");
        if (block == null) {
            return Headers.EMPTY;
        }
        try {
            return HeaderBlock.decode(block);
        } catch (IllegalArgumentException e) {
            log.error("{}: dead letter #{} has unreadable headers, shown without them: {}", where, rs.getLong("id"),
                    e.getMessage());
            return Headers.EMPTY;
        }
    }

    @Override
    public boolean delete(long id) {
        try (Connection c = connections.open();
             PreparedStatement delete = c.prepareStatement("DELETE FROM " + DEAD_LETTERS + " WHERE id = ?")) {
            delete.setLong(1, id);
            int rows = delete.executeUpdate();
            c.commit();
            return rows > 0;
        } catch (SQLException e) {
            throw new StorageException(where + ": cannot delete dead letter " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long count() {
        try (Connection c = connections.open();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + DEAD_LETTERS)) {
            rs.next();
            long count = rs.getLong(1);
            c.rollback();
            return count;
        } catch (SQLException e) {
            throw new StorageException(where + ": cannot count dead letters: " + e.getMessage(), e);
        }
    }

    /** Writes the inbox records still queued, then stops the writer. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.debug("{}: closed", where);
    }

    @Override
    public String toString() {
        return where;
    }
}
