package org.snakemq.bench;

/** The object the RPC scenario serves: one method that returns its argument. */
public final class BenchService {

    public long echo(long value) {
        return value;
    }
}
