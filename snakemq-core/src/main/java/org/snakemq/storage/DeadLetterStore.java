package org.snakemq.storage;

import java.util.List;
import java.util.Optional;

/**
 * Received messages that could not be handled, kept until an operator replays or deletes them.
 * Thread-safe: called from handler threads and from the application.
 */
public interface DeadLetterStore {

    /**
     * Stores a dead letter durably.
     *
     * @return the stored letter with its key
     * @throws StorageException when it could not be stored
     */
    DeadLetter add(DeadLetter letter);

    /** The oldest dead letters first, at most {@code limit}. */
    List<DeadLetter> list(int limit);

    /** One dead letter by its key. */
    Optional<DeadLetter> get(long id);

    /** Deletes a dead letter; false when there was none with that key. */
    boolean delete(long id);

    /** How many dead letters are stored. */
    long count();
}
