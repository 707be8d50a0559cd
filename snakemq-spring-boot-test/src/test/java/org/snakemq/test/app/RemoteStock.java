package org.snakemq.test.app;

import org.snakemq.spring.SnakeRpcClient;

/** Alice's stock, over RPC. */
@SnakeRpcClient(peer = "alice", object = "stock")
public interface RemoteStock {

    int count(String item);
}
