package org.snakemq.callback;

/** A handle for a registered callback; closing it removes the callback. */
@FunctionalInterface
public interface Registration extends AutoCloseable {

    /** Removes the callback. Idempotent. */
    @Override
    void close();
}
