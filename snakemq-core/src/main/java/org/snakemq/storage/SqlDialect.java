package org.snakemq.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What differs between the databases a storage runs on: the table's name and key column, who
 * assigns keys, how the UUID column is typed, and how the schema is checked and created. The SQL of
 * the queue operations themselves ({@link SqlStatements}) is shared.
 */
interface SqlDialect {

    /** The name of the table holding the queued messages. */
    String table();

    /** The column holding the storage key. */
    String keyColumn();

    /**
     * {@code true} when the storage assigns keys itself (counting up from the largest key stored,
     * possible because one writer owns the table); {@code false} when the database generates them.
     */
    boolean assignsKeys();

    /** {@code true} to store the UUID's hex digits as a BLOB rather than as TEXT. */
    boolean uuidAsBlob();

    /**
     * Checks that the database holds a usable table, creating it when missing, and leaves what it
     * did committed. Called once when the storage opens, before the writer takes the connection.
     *
     * @param where names the database in error messages
     * @throws StorageException when the database holds something that is not a queue table
     */
    void prepareSchema(Connection connection, String where) throws SQLException;

    /**
     * Refuses a table that lacks one of the {@code required} columns.
     *
     * @param columns the table's columns, in lower case
     * @param refusal the end of the message, saying what is not done
     * @throws StorageException naming the missing columns and those the table has
     */
    static void requireColumns(Set<String> columns, List<String> required, String where, String table,
                               String refusal) {
        List<String> missing = new ArrayList<>();
        for (String column : required) {
            if (!columns.contains(column)) {
                missing.add(column);
            }
        }
        if (!missing.isEmpty()) {
            throw new StorageException(where + ": table '" + table + "' is not a snakeMQ queue table: it lacks columns "
                    + missing + " (it has " + columns + "); " + refusal);
        }
    }

    /** Checks a table name given by the user: letters, digits and underscores only. */
    static String checkTableName(String table) {
        if (table == null || !table.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("table name must be letters, digits and underscores "
                    + "(at most 63, not starting with a digit): " + table);
        }
        return table;
    }
}
