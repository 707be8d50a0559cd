package com.example.quickstart;

import org.snakemq.rpc.RpcNonBlocking;
import org.snakemq.rpc.RpcSignal;
import org.snakemq.spring.SnakeRpc;
import org.springframework.stereotype.Component;

@Component
@SnakeRpc("clock")                         // other peers call it as "clock"
public class Clock {

    public String now() {
        return java.time.Instant.now().toString();
    }

    @RpcNonBlocking                        // never waits: runs on the link's thread, no hand-off
    public int add(int a, int b) {
        return a + b;
    }

    @RpcSignal                             // a signal: no reply, the caller does not wait
    public void ping(String from) {
        System.out.println("ping from " + from);
    }
}
