package org.snakemq.it;

import org.snakemq.spring.SnakeRpcClient;

/** The greeter that peer "alice" serves; bob injects it. */
@SnakeRpcClient(peer = "alice", object = "greeter")
public interface Greeter {

    String greet(String name);
}
