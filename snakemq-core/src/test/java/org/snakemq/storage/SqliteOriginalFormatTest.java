package org.snakemq.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakemq.message.Message;

/**
 * Files shared with the original Python snakeMQ: a file it wrote loads here, and a file written here
 * is read, and deleted from, by the original's statements.
 */
class SqliteOriginalFormatTest {

    private static final String SCRIPT = "original_sqlite_storage.py";

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("queues.db");
    }

    private static UUID uuidOfBytes(int first) {
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) (first + i);
        }
        ByteBuffer bytes = ByteBuffer.wrap(b); // big-endian, as Python's uuid.UUID(bytes=...)
        return new UUID(bytes.getLong(), bytes.getLong());
    }

    @Test
    void aFileWrittenAsTheOriginalWritesItLoadsInRowidOrder() throws Exception {
        // what Python snakeMQ 1.6 does: its CREATE TABLE, default journal, one INSERT per push with
        // the UUID as b2a_hex(uuid), which is bytes (a BLOB) under Python 3 and str (TEXT) under Python 2
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file())) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE items (queue_name VARCHAR(50), uuid VARCHAR(32), data BLOB, ttl REAL, flags INTEGER)");
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO items (queue_name, uuid, data, ttl, flags) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, "alice");
                insert.setBytes(2, "000102030405060708090a0b0c0d0e0f".getBytes(StandardCharsets.US_ASCII));
                insert.setBytes(3, "one".getBytes(StandardCharsets.UTF_8));
                insert.setNull(4, java.sql.Types.REAL);
                insert.setInt(5, 1);
                insert.executeUpdate();

                insert.setString(1, "bob");
                insert.setString(2, "101112131415161718191a1b1c1d1e1f");
                insert.setBytes(3, new byte[] {0, (byte) 0xff});
                insert.setInt(4, 3); // a Python int TTL; REAL affinity stores 3.0
                insert.setInt(5, 1);
                insert.executeUpdate();

                insert.setString(1, "alice");
                insert.setBytes(2, "202122232425262728292a2b2c2d2e2f".getBytes(StandardCharsets.US_ASCII));
                insert.setBytes(3, "three".getBytes(StandardCharsets.UTF_8));
                insert.setDouble(4, 2.5);
                insert.setInt(5, 0);
                insert.executeUpdate();
            }
        }

        long added;
        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(file())) {
            List<StoredMessage> rows = storage.loadAll();
            assertThat(rows).extracting(StoredMessage::key).containsExactly(1L, 2L, 3L);
            assertThat(rows).extracting(StoredMessage::queue).containsExactly("alice", "bob", "alice");
            assertThat(rows).extracting(StoredMessage::message).containsExactly(
                    new Message(uuidOfBytes(0), "one".getBytes(StandardCharsets.UTF_8), null, 1),
                    new Message(uuidOfBytes(16), new byte[] {0, (byte) 0xff}, Duration.ofSeconds(3), 1),
                    new Message(uuidOfBytes(32), "three".getBytes(StandardCharsets.UTF_8), Duration.ofMillis(2500), 0));

            storage.delete(1L);
            added = storage.push("carol", new Message(uuidOfBytes(48), "java".getBytes(StandardCharsets.UTF_8),
                    Duration.ofMillis(1500), Message.FLAG_PERSISTENT));
        }
        assertThat(added).isEqualTo(4L);

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT rowid, queue_name, typeof(uuid), CAST(uuid AS TEXT), data, ttl, flags"
                     + " FROM items ORDER BY rowid")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(2L);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(3L);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(4L);
            assertThat(rs.getString(2)).isEqualTo("carol");
            assertThat(rs.getString(3)).isEqualTo("blob");
            assertThat(rs.getString(4)).isEqualTo("303132333435363738393a3b3c3d3e3f");
            assertThat(rs.getBytes(5)).isEqualTo("java".getBytes(StandardCharsets.UTF_8));
            assertThat(rs.getDouble(6)).isEqualTo(1.5);
            assertThat(rs.getInt(7)).isEqualTo(1);
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void theOriginalReadsAndDeletesWhatWeStoreAndWeLoadWhatItStores() throws Exception {
        Path script = pythonScript();

        assertThat(python(script, "write", file().toString())).isEmpty();

        UUID carol = uuidOfBytes(48);
        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(file())) {
            List<StoredMessage> rows = storage.loadAll();
            assertThat(rows).extracting(StoredMessage::message).containsExactly(
                    new Message(uuidOfBytes(0), "one".getBytes(StandardCharsets.UTF_8), null, 1),
                    new Message(uuidOfBytes(16), HexFormat.of().parseHex("00ff2074776f"), Duration.ofSeconds(3), 1),
                    new Message(uuidOfBytes(32), "three".getBytes(StandardCharsets.UTF_8), Duration.ofMillis(2500), 1));
            storage.delete(rows.get(0).key());
            storage.push("carol", new Message(carol, "java".getBytes(StandardCharsets.UTF_8), Duration.ofMillis(1500),
                    Message.FLAG_PERSISTENT));
        }

        assertThat(python(script, "read", file().toString())).isEqualTo("{"
                + "\"alice\": [{\"data\": \"7468726565\", \"flags\": 1, \"ttl\": 2.5, \"uuid\": \"202122232425262728292a2b2c2d2e2f\"}], "
                + "\"bob\": [{\"data\": \"00ff2074776f\", \"flags\": 1, \"ttl\": 3.0, \"uuid\": \"101112131415161718191a1b1c1d1e1f\"}], "
                + "\"carol\": [{\"data\": \"6a617661\", \"flags\": 1, \"ttl\": 1.5, \"uuid\": \"303132333435363738393a3b3c3d3e3f\"}]}");
        // the original deletes by UUID with a bytes parameter: it must find the row we wrote
        assertThat(python(script, "delete", file().toString(), UuidText.toHex(carol))).isEqualTo("1");

        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(file())) {
            assertThat(storage.loadAll()).extracting(row -> row.message().uuid())
                    .containsExactly(uuidOfBytes(16), uuidOfBytes(32));
        }
    }

    @Test
    void anOriginalFileGainsANullableHeadersColumnThatTheOriginalIgnores() throws Exception {
        Path script = pythonScript();
        assertThat(python(script, "write", file().toString())).isEmpty();

        UUID carol = uuidOfBytes(48);
        Message withHeaders = new Message(carol, "java".getBytes(StandardCharsets.UTF_8), null, Message.FLAG_PERSISTENT)
                .withHeader("content-type", "text/plain").withHeader("trace", "\u017e");
        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(file())) {
            assertThat(storage.loadAll()).extracting(row -> row.message().headers())
                    .containsOnly(org.snakemq.message.Headers.EMPTY);
            storage.push("carol", withHeaders);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT queue_name, headers IS NULL FROM items ORDER BY rowid")) {
            List<String> rows = new java.util.ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + (rs.getBoolean(2) ? " null" : " headers"));
            }
            assertThat(rows).containsExactly("alice null", "bob null", "alice null", "carol headers");
        }

        // the original reads the altered table, our row included (without its headers), and writes to it
        assertThat(python(script, "read", file().toString())).contains(
                "\"carol\": [{\"data\": \"6a617661\", \"flags\": 1, \"ttl\": null, \"uuid\": \"303132333435363738393a3b3c3d3e3f\"}]");
        assertThat(python(script, "write", file().toString())).isEmpty();

        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(file())) {
            List<StoredMessage> rows = storage.loadAll();
            assertThat(rows).hasSize(7);
            assertThat(rows).filteredOn(row -> row.queue().equals("carol")).singleElement()
                    .satisfies(row -> assertThat(row.message()).isEqualTo(withHeaders));
            assertThat(rows).filteredOn(row -> !row.queue().equals("carol"))
                    .extracting(row -> row.message().headers()).containsOnly(org.snakemq.message.Headers.EMPTY);
        }
    }

    @Test
    void aRowWithAnUnreadableHeaderBlockIsSkippedAndLeftInPlace() throws Exception {
        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(file())) {
            storage.push("alice", Message.of("good").persistent().withHeader("a", "b"));
            storage.push("alice", Message.of("broken").persistent().withHeader("a", "b"));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement st = c.createStatement()) {
            // announces two entries, holds one
            st.executeUpdate("UPDATE items SET headers = X'0002000161000162' WHERE rowid = 2");
        }
        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(file())) {
            assertThat(storage.loadAll()).extracting(row -> row.message().text()).containsExactly("good");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM items")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("the unreadable row stays for an operator").isEqualTo(2);
        }
    }

    private Path pythonScript() throws IOException, InterruptedException {
        boolean available;
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import sqlite3").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            available = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            available = false;
        }
        if (!available) {
            String reason = "SqliteOriginalFormatTest SKIPPED a case: python3 with sqlite3 is not on the PATH";
            System.err.println(reason);
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        Path script = dir.resolve(SCRIPT);
        try (InputStream in = getClass().getResourceAsStream(SCRIPT)) {
            assertThat(in).as("test resource " + SCRIPT).isNotNull();
            Files.copy(in, script);
        }
        return script;
    }

    private static String python(Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("python3", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("python3 finished").isTrue();
        assertThat(p.exitValue()).as("python3 %s exit status; output: %s", args[0], out).isZero();
        return out;
    }
}
