package org.snakemq.sample;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import org.snakemq.rpc.RpcSignal;
import org.snakemq.spring.SnakeRpc;

/**
 * Alice's clock, served to other peers over RPC under {@code sample.clock.name} ("clock"). Methods
 * run on the starter's RPC worker threads ({@code snakemq-rpc-*}, {@code snakemq.rpc.executor.*}).
 */
@Component
@Profile("alice")
@SnakeRpc("${sample.clock.name:clock}")
public class Clock {

    private static final Logger log = LoggerFactory.getLogger("sample.alice");

    private final Journal journal;

    public Clock(Journal journal) {
        this.journal = journal;
    }

    /** The local time of this peer. */
    public String now() {
        return OffsetDateTime.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    public int add(int a, int b) {
        return a + b;
    }

    /** A signal: callers get no reply, so they do not wait. */
    @RpcSignal
    public void ping(String from) {
        log.info("signal clock.ping(\"{}\") arrived", from);
        journal.add("alice", Journal.Kind.SIGNAL, from, "ping " + from);
    }
}
