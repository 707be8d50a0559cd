package org.snakemq.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import org.snakemq.message.Message;

/** The shared behaviour of {@link JdbcQueuesStorage} over SQLite, and the upgrade of a table made before headers. */
class JdbcSqliteQueuesStorageTest extends QueuesStorageContract {

    @TempDir
    Path dir;

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("jdbc.db");
    }

    @Override
    protected QueuesStorage open() {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl(url());
        return new JdbcQueuesStorage(dataSource);
    }

    @Test
    void aTableMadeBeforeHeadersGainsTheColumnAndKeepsItsRows() throws Exception {
        try (Connection c = DriverManager.getConnection(url()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + JdbcQueuesStorage.DEFAULT_TABLE
                    + " (queue_name TEXT, uuid TEXT, data BLOB, ttl REAL, flags INTEGER)");
            st.execute("INSERT INTO " + JdbcQueuesStorage.DEFAULT_TABLE
                    + " (queue_name, uuid, data, ttl, flags) VALUES ('alice', '000102030405060708090a0b0c0d0e0f', X'6f6c64', NULL, 1)");
        }
        QueuesStorage storage = storage();
        assertThat(storage.loadAll()).singleElement().satisfies(row -> {
            assertThat(row.message().text()).isEqualTo("old");
            assertThat(row.message().headers().isEmpty()).isTrue();
        });
        storage.push("alice", Message.of("new").persistent().withHeader("k", "v"));
        assertThat(reopen().loadAll()).extracting(row -> row.message().headers().get("k")).containsExactly(null, "v");
        try (Connection c = DriverManager.getConnection(url()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pragma_table_info('" + JdbcQueuesStorage.DEFAULT_TABLE
                     + "') WHERE name = 'headers'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }
}
