package org.snakemq.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakemq.message.Message;

/** Files that are not usable queue databases give a clear error naming the file and are left as they were. */
class SqliteBadInputTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("queues.db");
    }

    private void sql(Path db, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    @Test
    void aFileOfRandomBytesIsRefusedAndLeftUnchanged() throws Exception {
        byte[] junk = new byte[64 * 1024];
        new Random(7).nextBytes(junk);
        Files.write(file(), junk);

        assertThatThrownBy(() -> new SqliteQueuesStorage(file()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file().toString())
                .hasMessageContaining("not an SQLite database");

        assertThat(Files.readAllBytes(file())).isEqualTo(junk);
        assertThat(dir.resolve("queues.db-wal")).doesNotExist();
    }

    @Test
    void anSqliteFileWithOtherTablesIsRefusedAndLeftUnchanged() throws Exception {
        sql(file(), "CREATE TABLE users (name TEXT, email TEXT)", "INSERT INTO users VALUES ('ann', 'ann@example.org')");
        byte[] before = Files.readAllBytes(file());

        assertThatThrownBy(() -> new SqliteQueuesStorage(file()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file().toString())
                .hasMessageContaining("not a snakeMQ queue database")
                .hasMessageContaining("[users]");

        assertThat(Files.readAllBytes(file())).isEqualTo(before);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM users")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("ann");
        }
    }

    @Test
    void anItemsTableWithWrongColumnsIsRefusedAndLeftUnchanged() throws Exception {
        sql(file(), "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL)",
                "INSERT INTO items (name, price) VALUES ('tea', 2.5)");
        byte[] before = Files.readAllBytes(file());

        assertThatThrownBy(() -> new SqliteQueuesStorage(file()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file().toString())
                .hasMessageContaining("lacks columns [queue_name, uuid, data, ttl, flags]");

        assertThat(Files.readAllBytes(file())).isEqualTo(before);
    }

    @Test
    void anEmptyFileBecomesAQueueDatabase() throws Exception {
        Files.createFile(file());

        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(file())) {
            storage.push("alice", Message.of("hi").persistent());
        }
        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(file())) {
            assertThat(storage.loadAll()).extracting(row -> row.message().text()).containsExactly("hi");
        }
    }

    @Test
    void aMissingDirectoryGivesAClearError() {
        Path missing = dir.resolve("no-such-dir").resolve("queues.db");

        assertThatThrownBy(() -> new SqliteQueuesStorage(missing))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void aDirectoryInPlaceOfTheFileGivesAClearError() throws IOException {
        Files.createDirectory(file());

        assertThatThrownBy(() -> new SqliteQueuesStorage(file()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file().toString())
                .hasMessageContaining("is a directory");
    }

    @Test
    void aReadOnlyDirectoryGivesAClearError() throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        Path db = readOnly.resolve("queues.db");
        boolean immutable = false;
        try {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
            if (canCreateFileIn(readOnly)) {
                // running as root, which ignores permissions: make the directory immutable instead
                immutable = run("chattr", "+i", readOnly.toString());
                Assumptions.assumeTrue(immutable && !canCreateFileIn(readOnly),
                        skip("cannot make a directory read-only for this user (root without chattr)"));
            }

            assertThatThrownBy(() -> new SqliteQueuesStorage(db))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(db.toString())
                    .hasMessageContaining("is not writable");
            assertThat(db).doesNotExist();
        } finally {
            if (immutable) {
                run("chattr", "-i", readOnly.toString());
            }
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void anUnreadableRowIsSkippedAndKept() throws Exception {
        sql(file(), "CREATE TABLE items (queue_name TEXT, uuid TEXT, data BLOB, ttl REAL, flags INTEGER)",
                "INSERT INTO items VALUES ('alice', '000102030405060708090a0b0c0d0e0f', x'6f6e65', NULL, 1)",
                "INSERT INTO items VALUES ('alice', 'not a uuid', x'74776f', NULL, 1)",
                "INSERT INTO items VALUES ('alice', '0f0e0d0c0b0a09080706050403020100', x'7468726565', NULL, 1)");

        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(file())) {
            assertThat(storage.loadAll()).extracting(row -> row.message().text()).containsExactly("one", "three");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM items WHERE uuid = 'not a uuid'")) {
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    private static boolean canCreateFileIn(Path directory) {
        Path probe = directory.resolve("probe");
        try {
            Files.createFile(probe);
            Files.delete(probe);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static String skip(String reason) {
        String line = "SqliteBadInputTest SKIPPED a case: " + reason;
        System.err.println(line);
        System.out.println(line);
        return line;
    }
}
