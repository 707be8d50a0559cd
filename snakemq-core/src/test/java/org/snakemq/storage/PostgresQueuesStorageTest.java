package org.snakemq.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared behaviour over {@link JdbcQueuesStorage} on a real PostgreSQL, and its schema. */
class PostgresQueuesStorageTest extends QueuesStorageContract {

    private DataSource dataSource;
    private final String table = PostgresTestDatabase.uniqueTable();
    private final List<String> extraTables = new ArrayList<>();

    // per test rather than @BeforeAll, so that every test shows up as skipped without a server
    @BeforeEach
    void server() {
        dataSource = PostgresTestDatabase.dataSource();
    }

    @Override
    protected QueuesStorage open() {
        return new JdbcQueuesStorage(dataSource, table);
    }

    @AfterEach
    void dropTables() throws SQLException {
        closeStorage();
        if (dataSource == null) {
            return;
        }
        PostgresTestDatabase.dropTable(dataSource, table);
        for (String extra : extraTables) {
            PostgresTestDatabase.dropTable(dataSource, extra);
        }
    }

    @Test
    void createsTheTableWithAnIntegerKeyAndBinaryData() throws SQLException {
        storage().push("alice", message("hi"));

        List<String> columns = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT column_name, data_type FROM information_schema.columns"
                     + " WHERE table_schema = current_schema() AND table_name = '" + table + "' ORDER BY ordinal_position")) {
            while (rs.next()) {
                columns.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        assertThat(columns).containsExactly("id bigint", "queue_name text", "uuid text", "data bytea",
                "ttl double precision", "flags integer", "headers bytea");
    }

    @Test
    void aTableMadeBeforeHeadersGainsTheColumnAndKeepsItsRows() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id BIGSERIAL PRIMARY KEY, queue_name TEXT NOT NULL,"
                    + " uuid TEXT NOT NULL, data BYTEA NOT NULL, ttl DOUBLE PRECISION, flags INTEGER NOT NULL)");
            st.execute("INSERT INTO " + table + " (queue_name, uuid, data, ttl, flags)"
                    + " VALUES ('alice', '000102030405060708090a0b0c0d0e0f', '\\x6f6c64', NULL, 1)");
        }
        assertThat(storage().loadAll()).singleElement().satisfies(row -> {
            assertThat(row.message().text()).isEqualTo("old");
            assertThat(row.message().headers().isEmpty()).isTrue();
        });
        storage().push("alice", message("new").withHeader("k", "v"));
        assertThat(reopen().loadAll()).extracting(row -> row.message().headers().get("k")).containsExactly(null, "v");
    }

    @Test
    void aTableWithOtherColumnsIsRefusedAndLeftAlone() throws SQLException {
        String foreign = PostgresTestDatabase.uniqueTable();
        extraTables.add(foreign);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + foreign + " (id SERIAL PRIMARY KEY, name TEXT)");
            st.execute("INSERT INTO " + foreign + " (name) VALUES ('kept')");
        }

        assertThatThrownBy(() -> new JdbcQueuesStorage(dataSource, foreign))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(foreign)
                .hasMessageContaining("lacks columns [queue_name, uuid, data, ttl, flags]");

        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM " + foreign)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("kept");
        }
    }

    @Test
    void messagesDoNotShowThePassword() {
        assertThat(storage().toString()).doesNotContain(PostgresTestDatabase.requireUrl().replaceAll(".*password=", ""));
    }
}
