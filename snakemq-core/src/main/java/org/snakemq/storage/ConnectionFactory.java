package org.snakemq.storage;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens connections for a storage's writer: auto-commit off, ready for the dialect's statements. */
@FunctionalInterface
interface ConnectionFactory {

    Connection open() throws SQLException;
}
