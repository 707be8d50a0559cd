package org.snakemq.storage;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/** Opens connections for a storage's writer: auto-commit off, ready for the dialect's statements. */
@FunctionalInterface
interface ConnectionFactory {

    Connection open() throws SQLException;

    /** Connections of a data source, with auto-commit turned off. */
    static ConnectionFactory of(DataSource dataSource) {
        return () -> {
            Connection c = dataSource.getConnection();
            try {
                c.setAutoCommit(false);
                return c;
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        };
    }
}
