package org.snakemq.cli;

import java.nio.file.Path;

import org.snakemq.storage.QueuesStorage;

/** Opens the {@code --storage} file. */
final class Storages {

    private Storages() {
    }

    static QueuesStorage open(Path file) {
        // TODO replace once SqliteQueuesStorage is on this branch
        throw new CliException(ExitCode.FAILURE, "--storage: SQLite storage is not available yet");
    }
}
