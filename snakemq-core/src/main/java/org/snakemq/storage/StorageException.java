package org.snakemq.storage;

/**
 * A persistent queue could not be read or written.
 * Thrown to the thread that called the storage (for example the one that sent a persistent message).
 */
public class StorageException extends RuntimeException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
