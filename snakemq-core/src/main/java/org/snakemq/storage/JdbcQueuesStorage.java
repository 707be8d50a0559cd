package org.snakemq.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent queues in a table of any database reached through a {@link DataSource}: PostgreSQL
 * (for peers that outgrow a local file) or SQLite. The table is created when missing; with
 * PostgreSQL it is {@code (id BIGSERIAL PRIMARY KEY, queue_name TEXT, uuid TEXT, data BYTEA,
 * ttl DOUBLE PRECISION, flags INTEGER, headers BYTEA)}; a table made before headers were stored
 * gains the {@code headers} column when opened.
 *
 * <p>One writer thread holds one connection at a time and commits concurrent pushes together
 * ({@link GroupCommitWriter}); after a failure it returns that connection and takes a new one, so
 * the storage recovers when the database does. Each peer needs its own table: two peers sharing
 * one would load each other's messages.
 *
 * <p>Threads: see {@link QueuesStorage}.
 */
public final class JdbcQueuesStorage extends WriterBackedStorage {

    private static final Logger log = LoggerFactory.getLogger("snakemq.storage");

    /** The table used when none is named. */
    public static final String DEFAULT_TABLE = "snakemq_items";

    private final String where;
    private final GroupCommitWriter writer;

    /** Opens the storage in table {@value #DEFAULT_TABLE}. */
    public JdbcQueuesStorage(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE);
    }

    /**
     * Opens the storage in the given table, creating it when missing.
     *
     * @param table letters, digits and underscores
     * @throws StorageException when the database cannot be reached, is not supported, or the table
     *                          exists with other columns
     */
    public JdbcQueuesStorage(DataSource dataSource, String table) {
        Objects.requireNonNull(dataSource, "dataSource");
        SqlDialect.checkTableName(table);
        ConnectionFactory connections = ConnectionFactory.of(dataSource);
        Connection first;
        String product;
        try {
            first = connections.open();
        } catch (SQLException e) {
            throw new StorageException("JDBC queue storage (table " + table + "): cannot connect: " + e.getMessage(), e);
        }
        try {
            product = first.getMetaData().getDatabaseProductName();
            String url = first.getMetaData().getURL();
            this.where = "JDBC queue storage " + stripPassword(url) + " table " + table;
            SqlDialect dialect = dialectFor(product, table);
            dialect.prepareSchema(first, where);
            this.writer = new GroupCommitWriter(where, dialect, connections, first);
        } catch (SQLException e) {
            SqlResources.closeQuietly(first);
            throw new StorageException("JDBC queue storage (table " + table + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            SqlResources.closeQuietly(first);
            throw e;
        }
        log.debug("{}: open ({})", where, product);
    }

    private static SqlDialect dialectFor(String product, String table) {
        if ("PostgreSQL".equalsIgnoreCase(product)) {
            return new PostgresDialect(table);
        }
        if ("SQLite".equalsIgnoreCase(product)) {
            return new SqliteDialect(table);
        }
        throw new StorageException("JDBC queue storage (table " + table + "): unsupported database '" + product
                + "' (supported: PostgreSQL, SQLite)");
    }

    /** The JDBC URL without its parameters, keeping passwords (and driver defaults) out of messages. */
    static String stripPassword(String url) {
        if (url == null) {
            return "?";
        }
        int params = url.indexOf('?');
        String base = params < 0 ? url : url.substring(0, params);
        return base.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    GroupCommitWriter writer() {
        return writer;
    }

    @Override
    public String toString() {
        return "JdbcQueuesStorage[" + where + "]";
    }
}
