package org.snakemq.autoconfigure.rpcunresolved;

import org.snakemq.spring.SnakeRpcClient;

/** A client whose peer names a property nobody defines. */
@SnakeRpcClient(peer = "${test.undefined.peer}", object = "calculator")
public interface UnresolvedClient {

    int add(int a, int b);
}
