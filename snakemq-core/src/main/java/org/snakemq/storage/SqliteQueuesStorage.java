package org.snakemq.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Persistent queues in one SQLite file: give it a file name and it works. The file uses the original
 * snakeMQ's table, so a file written by Python snakeMQ loads here and the other way round.
 *
 * <p>Speed and safety: the journal is a write-ahead log, and a single writer thread commits
 * concurrent pushes together ({@link GroupCommitWriter}). With the default
 * {@link Durability#PROCESS_CRASH} ({@code synchronous=NORMAL}), a push returns once its transaction
 * is in the log in the operating system's hands: it survives the process being killed (SIGKILL,
 * JVM crash) and the file never corrupts; an operating-system crash or power loss may roll back the
 * last commits. {@link Durability#POWER_LOSS} ({@code synchronous=FULL}) also survives those, at the
 * cost of one fsync per commit.
 *
 * <p>The file is held with an exclusive lock while open, so a second storage (or another process)
 * cannot use it at the same time. Opening never vacuums.
 *
 * <p>Threads: see {@link QueuesStorage}; the JDBC connection belongs to the writer thread.
 */
public final class SqliteQueuesStorage extends WriterBackedStorage {

    private static final Logger log = LoggerFactory.getLogger("snakemq.storage");
    private static final int BUSY_TIMEOUT_MILLIS = 1000;
    /** Shared files wait longer: an application transaction may hold the write lock for a while. */
    private static final int SHARED_BUSY_TIMEOUT_MILLIS = 30_000;

    /** How much a committed push survives. Immutable. */
    public enum Durability {
        /** Survives the process being killed; the file never corrupts ({@code synchronous=NORMAL}). */
        PROCESS_CRASH("NORMAL"),
        /** Also survives an operating-system crash or power loss ({@code synchronous=FULL}). */
        POWER_LOSS("FULL");

        private final String pragma;

        Durability(String pragma) {
            this.pragma = pragma;
        }
    }

    private final Path file;
    private final Access access;
    private final GroupCommitWriter writer;

    /** Opens or creates the file, with {@link Durability#PROCESS_CRASH}. */
    public SqliteQueuesStorage(String file) {
        this(Path.of(file));
    }

    /** Opens or creates the file, with {@link Durability#PROCESS_CRASH}. */
    public SqliteQueuesStorage(Path file) {
        this(file, Durability.PROCESS_CRASH);
    }

    /**
     * Opens or creates the file.
     *
     * @throws StorageException naming the file and the problem when it cannot be used; a file that
     *                          is not a snakeMQ queue database is left unchanged
     */
    public SqliteQueuesStorage(Path file, Durability durability) {
        this(file, durability, Access.EXCLUSIVE);
    }

    /**
     * Opens or creates the file, with the given access for other connections.
     *
     * @throws StorageException naming the file and the problem when it cannot be used
     */
    public SqliteQueuesStorage(Path file, Durability durability, Access access) {
        this.file = file.toAbsolutePath().normalize();
        this.access = Objects.requireNonNull(access, "access");
        Objects.requireNonNull(durability, "durability");
        String where = "SQLite queue storage " + this.file;
        checkPath(where);
        SqliteDialect dialect = new SqliteDialect(SqliteDialect.ORIGINAL_TABLE);
        ConnectionFactory connections = () -> open(durability);
        Connection first = openChecked(where, dialect, durability);
        this.writer = new GroupCommitWriter(where, dialect, connections, first);
        log.debug("{}: open ({} durability)", where, durability);
    }

    /** Whether other connections may use the file while this storage is open. Immutable. */
    public enum Access {
        /** This storage alone uses the file (the fastest; no {@code -shm} file). */
        EXCLUSIVE,
        /**
         * Other connections of this process may use the file too: a {@link SqlDeliveryStore} and the
         * application's own transactions (exactly-once handling, transactional sends).
         */
        SHARED
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    @Override
    GroupCommitWriter writer() {
        return writer;
    }

    @Override
    public String toString() {
        return "SqliteQueuesStorage[" + file + "]";
    }

    private void checkPath(String where) {
        Path dir = file.getParent();
        if (Files.isDirectory(file)) {
            throw new StorageException(where + ": is a directory, not a file");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new StorageException(where + ": directory " + dir + " does not exist");
        }
        // SQLite creates the write-ahead log beside the database, so the directory must be writable
        if (!Files.isWritable(dir)) {
            throw new StorageException(where + ": directory " + dir + " is not writable (SQLite needs to create "
                    + file.getFileName() + "-wal there)");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new StorageException(where + ": the file is read-only");
        }
    }

    /** The first connection: checks what the file holds before anything writes to it. */
    private Connection openChecked(String where, SqliteDialect dialect, Durability durability) {
        Connection c = null;
        try {
            c = connect();
            dialect.prepareSchema(c, where);
            configure(c, durability);
            return c;
        } catch (SQLException e) {
            SqlResources.closeQuietly(c);
            throw new StorageException(where + ": " + describe(e), e);
        } catch (RuntimeException e) {
            SqlResources.closeQuietly(c);
            throw e;
        }
    }

    private Connection open(Durability durability) throws SQLException {
        Connection c = connect();
        try {
            configure(c, durability);
            return c;
        } catch (SQLException | RuntimeException e) {
            SqlResources.closeQuietly(c);
            throw e;
        }
    }

    private Connection connect() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(access == Access.SHARED ? SHARED_BUSY_TIMEOUT_MILLIS : BUSY_TIMEOUT_MILLIS);
        Connection c = config.createConnection("jdbc:sqlite:" + file);
        try (Statement st = c.createStatement()) {
            // no other connection may touch the file while we own it; also spares the -shm file
            if (access == Access.EXCLUSIVE) {
                st.execute("PRAGMA locking_mode = EXCLUSIVE");
            }
        } catch (SQLException e) {
            SqlResources.closeQuietly(c);
            throw e;
        }
        return c;
    }

    /** WAL and the sync level; run after the schema check so a foreign file is never modified. */
    private static void configure(Connection c, Durability durability) throws SQLException {
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
                String mode = rs.next() ? rs.getString(1) : null;
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new SQLException("cannot switch the journal to WAL (journal_mode is " + mode + ")");
                }
            }
            st.execute("PRAGMA synchronous = " + durability.pragma);
        }
        c.setAutoCommit(false);
    }

    private static String describe(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            String problem = switch (code.code & 0xff) {
                case 26 -> "not an SQLite database (corrupt, encrypted or some other kind of file)";
                case 11 -> "the database file is corrupt";
                case 14 -> "cannot open the file";
                case 8 -> "the file or its directory is read-only";
                case 5, 6 -> "the file is in use by another process or storage (locked)";
                case 13 -> "the disk is full";
                default -> null;
            };
            if (problem != null) {
                return problem + " (" + e.getMessage() + ")";
            }
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
