package org.snakemq.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server of the tests, named by the environment variable {@value #ENV} or the system
 * property of the same name ({@code bash .ci/start-postgres.sh} prints the line that sets it). Where
 * neither is set, tests that need it are skipped, saying so on stderr and in the skip reason.
 */
final class PostgresTestDatabase {

    static final String ENV = "SNAKEMQ_TEST_PG_URL";

    private PostgresTestDatabase() {
    }

    /** The server's JDBC URL, or aborts the calling test (skipped, with the reason printed). */
    static String requireUrl() {
        String url = System.getProperty(ENV);
        if (url == null || url.isBlank()) {
            url = System.getenv(ENV);
        }
        if (url == null || url.isBlank()) {
            String reason = "PostgreSQL tests SKIPPED: " + ENV + " is not set (run: eval \"$(bash .ci/start-postgres.sh)\")";
            System.err.println(reason);
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        return url;
    }

    static DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(requireUrl());
        return ds;
    }

    /** A table name no other test uses. */
    static String uniqueTable() {
        return "snakemq_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    static void dropTable(DataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
        }
    }
}
