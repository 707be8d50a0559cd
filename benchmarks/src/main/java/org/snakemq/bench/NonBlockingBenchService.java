package org.snakemq.bench;

import org.snakemq.rpc.RpcNonBlocking;

/** {@link BenchService}'s echo, marked to run on the server's loop thread. */
public final class NonBlockingBenchService {

    @RpcNonBlocking
    public long echo(long value) {
        return value;
    }
}
