package org.snakemq.storage;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakemq.message.HeaderBlock;
import org.snakemq.message.Headers;
import org.snakemq.message.Message;

/**
 * The prepared statements of one connection. Used only by the writer thread that owns the
 * connection; never commits, the caller does.
 */
final class SqlStatements implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("snakemq.storage");
    static final int ROWS_PER_INSERT = 50;
    static final int KEYS_PER_DELETE = 100;
    /** Consecutive keys from this many on are deleted as one range (two parameters instead of one per key). */
    static final int MIN_KEYS_PER_RANGE = 8;
    /** Columns of one inserted row, key included: key, queue_name, uuid, data, ttl, flags, headers. */
    private static final int COLUMNS = 7;
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?)";
    /** Parameters of one row of {@link #insertUniform}: key, uuid, data. */
    private static final int UNIFORM_COLUMNS = 3;

    private final SqlDialect dialect;
    private final String where;
    private final Connection connection;
    private final PreparedStatement insert;
    /** For dialects that assign keys: {@value #ROWS_PER_INSERT} rows in one statement (fewer round trips into SQLite). */
    private final PreparedStatement insertMany;
    /**
     * For dialects that assign keys: {@value #ROWS_PER_INSERT} rows of one queue, without TTL and
     * headers, with one flags value. The queue name and the flags are bound once for all of them and
     * TTL and headers are NULL in the SQL: a batch of plain messages binds three values a row instead
     * of seven, and binding was a fifth of the writer's time.
     */
    private final PreparedStatement insertUniform;
    private final PreparedStatement delete;
    /** {@value #KEYS_PER_DELETE} keys in one statement. */
    private final PreparedStatement deleteMany;
    private final PreparedStatement deleteRange;
    private final PreparedStatement updateTtl;
    private final KeyCounter keys;

    /**
     * @param nextKey for dialects that assign keys: the smallest key not yet handed out during
     *                this storage's life; raised here to above the largest key in the table
     */
    SqlStatements(SqlDialect dialect, String where, Connection connection, KeyCounter nextKey) throws SQLException {
        this.dialect = dialect;
        this.where = where;
        this.connection = connection;
        String table = dialect.table();
        String key = dialect.keyColumn();
        try {
            if (dialect.assignsKeys()) {
                try (Statement st = connection.createStatement();
                     ResultSet rs = st.executeQuery("SELECT max(" + key + ") FROM " + table)) {
                    rs.next();
                    nextKey.atLeast(rs.getLong(1) + 1);
                }
                this.keys = nextKey;
                String into = "INSERT INTO " + table + " (" + key + ", queue_name, uuid, data, ttl, flags, headers) VALUES ";
                insert = connection.prepareStatement(into + repeat(ROW, 1));
                insertMany = connection.prepareStatement(into + repeat(ROW, ROWS_PER_INSERT));
                insertUniform = connection.prepareStatement(into + uniformRows());
            } else {
                // the database generates keys: one row per statement, so the generated keys come back in order
                this.keys = null;
                insert = connection.prepareStatement("INSERT INTO " + table
                        + " (queue_name, uuid, data, ttl, flags, headers) VALUES (?, ?, ?, ?, ?, ?)", new String[] {key});
                insertMany = null;
                insertUniform = null;
            }
            delete = connection.prepareStatement("DELETE FROM " + table + " WHERE " + key + " = ?");
            deleteMany = connection.prepareStatement("DELETE FROM " + table + " WHERE " + key + " IN ("
                    + repeat("?", KEYS_PER_DELETE) + ")");
            deleteRange = connection.prepareStatement("DELETE FROM " + table + " WHERE " + key + " BETWEEN ? AND ?");
            updateTtl = connection.prepareStatement("UPDATE " + table + " SET ttl = ? WHERE " + key + " = ?");
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Inserts the messages of the pushes with JDBC batches and stores their keys in the pushes. */
    void insert(List<PushRequest> pushes) throws SQLException {
        if (keys == null) {
            for (PushRequest push : pushes) {
                for (Message message : push.messages()) {
                    bindRow(insert, 0, push.queue(), message);
                    insert.addBatch();
                }
            }
            insert.executeBatch();
            readGeneratedKeys(pushes);
            return;
        }
        int rows = 0;
        for (PushRequest push : pushes) {
            rows += push.messages().size();
        }
        int many = rows - rows % ROWS_PER_INSERT;
        boolean anyMany = false;
        boolean anyUniform = false;
        int row = 0;
        for (PushRequest push : pushes) {
            List<Message> messages = push.messages();
            for (int i = 0; i < messages.size(); ) {
                boolean chunkFits = row + ROWS_PER_INSERT <= many && i + ROWS_PER_INSERT <= messages.size();
                if (chunkFits && uniform(messages, i)) {
                    bindUniform(push, i);
                    anyUniform = true;
                    i += ROWS_PER_INSERT;
                    row += ROWS_PER_INSERT;
                    continue;
                }
                long key = keys.next();
                push.keys()[i] = key;
                boolean inMany = row < many;
                PreparedStatement st = inMany ? insertMany : insert;
                int first = inMany ? (row % ROWS_PER_INSERT) * COLUMNS : 0;
                st.setLong(first + 1, key);
                bindRow(st, first + 1, push.queue(), messages.get(i));
                if (!inMany || row % ROWS_PER_INSERT == ROWS_PER_INSERT - 1) {
                    st.addBatch();
                }
                anyMany |= inMany;
                i++;
                row++;
            }
        }
        if (anyUniform) {
            insertUniform.executeBatch();
        }
        if (anyMany) {
            insertMany.executeBatch();
        }
        if (rows > many) {
            insert.executeBatch();
        }
    }

    /** Whether the {@value #ROWS_PER_INSERT} messages from {@code from} fit {@link #insertUniform}. */
    private static boolean uniform(List<Message> messages, int from) {
        int flags = messages.get(from).flags();
        for (int i = from; i < from + ROWS_PER_INSERT; i++) {
            Message message = messages.get(i);
            if (message.ttl() != null || !message.headers().isEmpty() || message.flags() != flags) {
                return false;
            }
        }
        return true;
    }

    /** Binds {@value #ROWS_PER_INSERT} messages of the push from {@code from} as one uniform statement. */
    private void bindUniform(PushRequest push, int from) throws SQLException {
        List<Message> messages = push.messages();
        insertUniform.setString(1, push.queue());
        insertUniform.setInt(2, messages.get(from).flags());
        for (int r = 0; r < ROWS_PER_INSERT; r++) {
            Message message = messages.get(from + r);
            long key = keys.next();
            push.keys()[from + r] = key;
            int first = 2 + r * UNIFORM_COLUMNS;
            insertUniform.setLong(first + 1, key);
            bindUuid(insertUniform, first + 2, message);
            insertUniform.setBytes(first + 3, message.data());
        }
        insertUniform.addBatch();
    }

    /**
     * The rows of {@link #insertUniform}, with SQLite's numbered parameters: ?1 the queue name and ?2
     * the flags in every row, then key, uuid and data for each.
     */
    private static String uniformRows() {
        StringBuilder sql = new StringBuilder();
        for (int r = 0; r < ROWS_PER_INSERT; r++) {
            int first = 2 + r * UNIFORM_COLUMNS;
            sql.append(r == 0 ? "" : ", ").append("(?").append(first + 1).append(", ?1, ?").append(first + 2)
                    .append(", ?").append(first + 3).append(", NULL, ?2, NULL)");
        }
        return sql.toString();
    }

    /**
     * Inserts one message with the caller's connection, inside the caller's transaction; returns its
     * key. For dialects that assign keys, the key comes from the writer's counter.
     */
    static long insertOne(SqlDialect dialect, KeyCounter keys, Connection c, String queue, Message message)
            throws SQLException {
        String table = dialect.table();
        String key = dialect.keyColumn();
        if (dialect.assignsKeys()) {
            long assigned = keys.next();
            try (PreparedStatement st = c.prepareStatement("INSERT INTO " + table + " (" + key
                    + ", queue_name, uuid, data, ttl, flags, headers) VALUES " + ROW)) {
                st.setLong(1, assigned);
                bindRow(dialect, st, 1, queue, message);
                st.executeUpdate();
            }
            return assigned;
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO " + table
                + " (queue_name, uuid, data, ttl, flags, headers) VALUES (?, ?, ?, ?, ?, ?)", new String[] {key})) {
            bindRow(dialect, st, 0, queue, message);
            st.executeUpdate();
            try (ResultSet rs = st.getGeneratedKeys()) {
                if (!rs.next()) {
                    throw new SQLException("no key generated");
                }
                return rs.getLong(1);
            }
        }
    }

    /** Binds queue, uuid, data, ttl, flags and headers to the parameters after {@code before}. */
    private void bindRow(PreparedStatement st, int before, String queue, Message message) throws SQLException {
        bindRow(dialect, st, before, queue, message);
    }

    private static void bindRow(SqlDialect dialect, PreparedStatement st, int before, String queue, Message message)
            throws SQLException {
        st.setString(before + 1, queue);
        bindUuid(dialect, st, before + 2, message);
        st.setBytes(before + 3, message.data());
        setTtl(st, before + 4, message.ttl());
        st.setInt(before + 5, message.flags());
        if (message.headers().isEmpty()) {
            st.setNull(before + 6, Types.VARBINARY); // as a row of the original's, which has no headers
        } else {
            st.setBytes(before + 6, HeaderBlock.encode(message.headers()));
        }
    }

    private void bindUuid(PreparedStatement st, int index, Message message) throws SQLException {
        bindUuid(dialect, st, index, message);
    }

    private static void bindUuid(SqlDialect dialect, PreparedStatement st, int index, Message message)
            throws SQLException {
        if (dialect.uuidAsBlob()) {
            st.setBytes(index, UuidText.toHexBytes(message.uuid()));
        } else {
            st.setString(index, UuidText.toHex(message.uuid()));
        }
    }

    private static String repeat(String item, int times) {
        return String.join(", ", java.util.Collections.nCopies(times, item));
    }

    private void readGeneratedKeys(List<PushRequest> pushes) throws SQLException {
        try (ResultSet rs = insert.getGeneratedKeys()) {
            for (PushRequest push : pushes) {
                long[] out = push.keys();
                for (int i = 0; i < out.length; i++) {
                    if (!rs.next()) {
                        throw new SQLException("the JDBC driver returned fewer generated keys than rows inserted");
                    }
                    out[i] = rs.getLong(1);
                }
            }
        }
    }

    /**
     * Deletes the rows with the first {@code count} keys, ignoring keys already gone. Acknowledgements
     * mostly arrive in send order, so the keys mostly form runs: a run of at least
     * {@value #MIN_KEYS_PER_RANGE} consecutive keys goes as one range, the rest in lists. Sorts and
     * overwrites the first {@code count} entries of the array.
     */
    void delete(long[] keysToDelete, int count) throws SQLException {
        Arrays.sort(keysToDelete, 0, count);
        int scattered = 0;
        boolean ranges = false;
        for (int start = 0; start < count; ) {
            int end = start;
            while (end + 1 < count && keysToDelete[end + 1] - keysToDelete[end] <= 1) {
                end++; // a repeated key (a difference of 0) stays in the run
            }
            if (keysToDelete[end] - keysToDelete[start] + 1 >= MIN_KEYS_PER_RANGE) {
                deleteRange.setLong(1, keysToDelete[start]);
                deleteRange.setLong(2, keysToDelete[end]);
                deleteRange.addBatch();
                ranges = true;
            } else {
                for (int i = start; i <= end; i++) {
                    keysToDelete[scattered++] = keysToDelete[i];
                }
            }
            start = end + 1;
        }
        if (ranges) {
            deleteRange.executeBatch();
        }
        deleteEach(keysToDelete, scattered);
    }

    private void deleteEach(long[] keysToDelete, int count) throws SQLException {
        int many = count - count % KEYS_PER_DELETE;
        for (int i = 0; i < many; i++) {
            deleteMany.setLong(i % KEYS_PER_DELETE + 1, keysToDelete[i]);
            if (i % KEYS_PER_DELETE == KEYS_PER_DELETE - 1) {
                deleteMany.addBatch();
            }
        }
        if (many > 0) {
            deleteMany.executeBatch();
        }
        for (int i = many; i < count; i++) {
            delete.setLong(1, keysToDelete[i]);
            delete.addBatch();
        }
        if (count > many) {
            delete.executeBatch();
        }
    }

    /** Records new TTLs, ignoring keys already gone. */
    void updateTtls(List<QueuesStorage.TtlUpdate> updates) throws SQLException {
        for (QueuesStorage.TtlUpdate update : updates) {
            setTtl(updateTtl, 1, update.ttl());
            updateTtl.setLong(2, update.key());
            updateTtl.addBatch();
        }
        updateTtl.executeBatch();
    }

    /** Every row in key order. Rows that cannot be read are logged and left in the table. */
    List<StoredMessage> loadAll() throws SQLException {
        String key = dialect.keyColumn();
        List<StoredMessage> out = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + key + ", queue_name, uuid, data, ttl, flags, headers FROM "
                     + dialect.table() + " ORDER BY " + key)) {
            while (rs.next()) {
                long rowKey = rs.getLong(1);
                StoredMessage row = readRow(rs, rowKey);
                if (row != null) {
                    out.add(row);
                }
            }
        }
        return out;
    }

    private StoredMessage readRow(ResultSet rs, long rowKey) throws SQLException {
        String queue = rs.getString(2);
        Object rawUuid = rs.getObject(3);
        byte[] data = rs.getBytes(4);
        double seconds = rs.getDouble(5);
        Duration ttl = rs.wasNull() ? null : ttlOf(seconds);
        int flags = rs.getInt(6);
        byte[] headers = rs.getBytes(7);
        try {
            if (queue == null) {
                throw new IllegalArgumentException("queue_name is NULL");
            }
            if (rawUuid == null) {
                throw new IllegalArgumentException("uuid is NULL");
            }
            String uuidText = rawUuid instanceof byte[] bytes
                    ? new String(bytes, StandardCharsets.ISO_8859_1)
                    : rawUuid.toString();
            UUID uuid = UuidText.parse(uuidText);
            Message message = new Message(uuid, data == null ? new byte[0] : data, ttl, flags,
                    headers == null ? Headers.EMPTY : HeaderBlock.decode(headers));
            return new StoredMessage(rowKey, queue, message);
        } catch (IllegalArgumentException e) {
            log.error("{}: skipping unreadable row {}={} of table {} (left in place): {}",
                    where, key(), rowKey, dialect.table(), e.getMessage());
            return null;
        }
    }

    private String key() {
        return dialect.keyColumn();
    }

    /** A stored TTL in seconds as a Duration: negative counts as expired, non-finite as infinite. */
    static Duration ttlOf(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return null;
        }
        if (seconds <= 0) {
            return Duration.ZERO;
        }
        long whole = (long) seconds;
        long nanos = Math.round((seconds - whole) * 1e9);
        return Duration.ofSeconds(whole, nanos);
    }

    private static void setTtl(PreparedStatement st, int index, Duration ttl) throws SQLException {
        if (ttl == null) {
            st.setNull(index, Types.DOUBLE);
        } else {
            st.setDouble(index, ttl.getSeconds() + ttl.getNano() / 1e9);
        }
    }

    @Override
    public void close() {
        SqlResources.closeQuietly(insert);
        SqlResources.closeQuietly(insertMany);
        SqlResources.closeQuietly(insertUniform);
        SqlResources.closeQuietly(delete);
        SqlResources.closeQuietly(deleteMany);
        SqlResources.closeQuietly(deleteRange);
        SqlResources.closeQuietly(updateTtl);
    }

    /** The next key to assign; survives reconnects so a key is never handed out twice. */
    static final class KeyCounter {
        private long next = 1;

        // synchronized: transactional pushes take keys on application threads
        synchronized void atLeast(long candidate) {
            next = Math.max(next, candidate);
        }

        synchronized long next() {
            return next++;
        }
    }
}
