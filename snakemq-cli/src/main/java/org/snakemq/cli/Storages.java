package org.snakemq.cli;

import java.nio.file.Path;

import org.snakemq.storage.QueuesStorage;
import org.snakemq.storage.SqliteQueuesStorage;
import org.snakemq.storage.StorageException;

/** Opens the {@code --storage} file. */
final class Storages {

    private Storages() {
    }

    /** The SQLite queues in {@code file} (the original's table layout); a file in use or unusable fails. */
    static QueuesStorage open(Path file) {
        try {
            return new SqliteQueuesStorage(file);
        } catch (StorageException e) {
            throw new CliException(ExitCode.FAILURE, "--storage: " + e.getMessage(), e);
        }
    }
}
