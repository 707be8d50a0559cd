package org.snakemq.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared behaviour over an SQLite file, and what is particular to the file. */
class SqliteQueuesStorageTest extends QueuesStorageContract {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("queues.db");
    }

    @Override
    protected QueuesStorage open() {
        return new SqliteQueuesStorage(file());
    }

    @Test
    void opensWithAPlainFileNameString() {
        try (SqliteQueuesStorage s = new SqliteQueuesStorage(file().toString())) {
            s.push("alice", message("hi"));
            assertThat(texts(s.loadAll())).containsExactly("hi");
            assertThat(s.file()).isEqualTo(file().toAbsolutePath());
        }
    }

    @Test
    void fileIsInWalModeWithTheOriginalTableAndNothingElse() throws Exception {
        storage().push("alice", message("hi"));
        storage().close();
        reopen();
        closeStorage();

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
            try (ResultSet rs = st.executeQuery("SELECT type, name FROM sqlite_master")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1) + " " + rs.getString(2)).isEqualTo("table items");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void pushAfterCloseThrowsAndCloseTwiceIsHarmless() {
        QueuesStorage s = storage();
        s.close();
        s.close();

        assertThatThrownBy(() -> s.push("alice", message("late")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("closed");
        assertThat(s.pushAsync("alice", message("late"))).failsWithin(java.time.Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(StorageException.class);
        s.delete(1); // logged, not thrown: the network loop must not die of it
        s.flush();
    }

    @Test
    void aSecondStorageOnTheSameFileIsRefused() {
        storage().push("alice", message("hi"));

        assertThatThrownBy(() -> new SqliteQueuesStorage(file()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file().toString())
                .hasMessageContaining("in use");
        assertThat(texts(storage().loadAll())).containsExactly("hi");
    }
}
