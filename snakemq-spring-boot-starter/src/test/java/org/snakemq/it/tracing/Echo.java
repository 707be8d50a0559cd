package org.snakemq.it.tracing;

import java.util.concurrent.CompletableFuture;

import org.snakemq.spring.SnakeRpcClient;

/** The echo object that peer "alice" serves; bob calls it. */
@SnakeRpcClient(peer = "alice", object = "echo")
public interface Echo {

    String say(String text);

    CompletableFuture<String> sayLater(String text);
}
