package org.snakemq.it.aot;

import org.snakemq.spring.SnakeRpcClient;

/** The clock of peer "bob", as a client proxy. */
@SnakeRpcClient(peer = "bob", object = "clock")
public interface RemoteClock {

    AotApplication.Reading now(String zone);
}
