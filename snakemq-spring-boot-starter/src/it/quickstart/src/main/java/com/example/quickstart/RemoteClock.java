package com.example.quickstart;

import org.snakemq.rpc.RpcSignal;
import org.snakemq.spring.SnakeRpcClient;
import org.springframework.stereotype.Service;

@SnakeRpcClient(peer = "alice", object = "clock")
public interface RemoteClock {

    String now();

    int add(int a, int b);

    @RpcSignal
    void ping(String from);
}

@Service
class TimeService {

    private final RemoteClock clock;

    TimeService(RemoteClock clock) {
        this.clock = clock;
    }

    int sum(int a, int b) {
        return clock.add(a, b);                // blocks until alice answers, at most snakemq.rpc.call-timeout
    }
}
