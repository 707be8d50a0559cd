package org.snakemq.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite, in the original snakeMQ's layout: table {@code items (queue_name TEXT, uuid TEXT, data
 * BLOB, ttl REAL, flags INTEGER)}, TTL in seconds with NULL for infinite, plus a nullable
 * {@code headers BLOB} ({@link org.snakemq.message.HeaderBlock}; NULL for none), added to a table
 * that lacks it. The key is SQLite's rowid,
 * assigned by the storage (an integer key keeps inserts and deletes fast; an index on random UUIDs
 * would not).
 *
 * <p>The UUID's 32 hex digits are stored as a BLOB: that is what the original writes under Python 3
 * ({@code binascii.b2a_hex} returns bytes), and the original deletes and updates rows with
 * {@code WHERE uuid = ?} and a bytes parameter, which never equals a TEXT value. Stored this way, a
 * file stays fully usable by a Python snakeMQ peer. Reading accepts TEXT as well.
 */
final class SqliteDialect implements SqlDialect {

    private static final Logger log = LoggerFactory.getLogger("snakemq.storage");

    /** The table of the original snakeMQ. */
    static final String ORIGINAL_TABLE = "items";

    /** Not in the original's table: added to it when missing. */
    static final String HEADERS_COLUMN = "headers";

    private static final List<String> REQUIRED_COLUMNS = List.of("queue_name", "uuid", "data", "ttl", "flags");

    private final String table;

    SqliteDialect(String table) {
        this.table = SqlDialect.checkTableName(table);
    }

    @Override
    public String table() {
        return table;
    }

    @Override
    public String keyColumn() {
        return "rowid";
    }

    @Override
    public boolean assignsKeys() {
        return true;
    }

    @Override
    public boolean uuidAsBlob() {
        return true;
    }

    @Override
    public void prepareSchema(Connection connection, String where) throws SQLException {
        List<String> tables = new ArrayList<>();
        String ours = null;
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'"
                     + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (name.equalsIgnoreCase(table)) {
                    ours = name;
                } else if (!name.toLowerCase(Locale.ROOT).startsWith("snakemq_")) {
                    tables.add(name);
                }
            }
        }
        if (ours != null) {
            if (!checkColumns(connection, ours, where).contains(HEADERS_COLUMN)) {
                addHeadersColumn(connection, ours, where);
            }
            if (!tables.isEmpty()) {
                log.warn("{}: the database also holds tables {}; they are left alone", where, tables);
            }
        } else if (!tables.isEmpty()) {
            throw new StorageException(where + ": not a snakeMQ queue database: it has no '" + table
                    + "' table but other tables " + tables + "; refusing to use it (the file is left unchanged)");
        } else {
            try (Statement st = connection.createStatement()) {
                st.executeUpdate("CREATE TABLE " + table
                        + " (queue_name TEXT, uuid TEXT, data BLOB, ttl REAL, flags INTEGER, headers BLOB)");
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /**
     * A table of the original's layout gains the nullable headers column. The original names its
     * columns in every statement, so it goes on reading and writing the table; its rows have no
     * headers (NULL).
     */
    private static void addHeadersColumn(Connection connection, String name, String where) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.executeUpdate("ALTER TABLE \"" + name + "\" ADD COLUMN " + HEADERS_COLUMN + " BLOB");
        }
        log.info("{}: added the column '{}' to table '{}' (rows without headers keep NULL there)",
                where, HEADERS_COLUMN, name);
    }

    /** @return the table's columns, in lower case */
    private Set<String> checkColumns(Connection connection, String name, String where) throws SQLException {
        Set<String> columns = new LinkedHashSet<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA table_info(\"" + name + "\")")) {
            while (rs.next()) {
                columns.add(rs.getString("name").toLowerCase(Locale.ROOT));
            }
        }
        SqlDialect.requireColumns(columns, REQUIRED_COLUMNS, where, name,
                "refusing to use it (the file is left unchanged)");
        try (Statement st = connection.createStatement()) {
            st.executeQuery("SELECT rowid FROM \"" + name + "\" LIMIT 0").close();
        } catch (SQLException e) {
            throw new StorageException(where + ": table '" + name + "' has no rowid (a WITHOUT ROWID table?); "
                    + "refusing to use it (the file is left unchanged)", e);
        }
        return columns;
    }
}
