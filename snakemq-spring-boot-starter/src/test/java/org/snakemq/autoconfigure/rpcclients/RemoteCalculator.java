package org.snakemq.autoconfigure.rpcclients;

import java.util.concurrent.CompletableFuture;

import org.snakemq.spring.SnakeRpcClient;

/** The API of the calculator served by peer "bob", for the RPC tests. */
@SnakeRpcClient(peer = "bob", object = "calculator")
public interface RemoteCalculator {

    int add(int a, int b);

    CompletableFuture<Integer> addLater(int a, int b);

    int fail(String message);
}
