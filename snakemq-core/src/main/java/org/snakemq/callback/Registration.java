package org.snakemq.callback;

/** A handle for a registered callback; closing it removes the callback. Any thread may close it, more than once. */
@FunctionalInterface
public interface Registration extends AutoCloseable {

    /** Removes the callback. Idempotent. */
    @Override
    void close();
}
