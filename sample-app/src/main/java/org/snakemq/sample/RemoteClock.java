package org.snakemq.sample;

import org.snakemq.rpc.RpcSignal;
import org.snakemq.spring.SnakeRpcClient;

/**
 * The API of the {@link Clock} that alice serves. The starter registers a proxy bean for this
 * interface; calls block the caller until alice replies, at most {@code snakemq.rpc.call-timeout}. The
 * peer and the object name come from {@code sample.clock.peer} and {@code sample.clock.name}.
 */
@SnakeRpcClient(peer = "${sample.clock.peer:alice}", object = "${sample.clock.name:clock}")
public interface RemoteClock {

    String now();

    int add(int a, int b);

    /** Sent as a signal: no reply, returns at once; delivered only while alice is connected. */
    @RpcSignal
    void ping(String from);
}
