package org.snakemq.autoconfigure.rpcplaceholders;

import org.snakemq.spring.SnakeRpcClient;

/** A client whose peer and object come from properties (the object with a default). */
@SnakeRpcClient(peer = "${test.calculator.peer}", object = "${test.calculator.object:calculator}")
public interface ConfiguredCalculator {

    int add(int a, int b);
}
