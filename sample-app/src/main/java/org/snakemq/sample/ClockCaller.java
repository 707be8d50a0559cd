package org.snakemq.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Calls alice's clock through the injected {@link RemoteClock} proxy. Blocking: never call it from an
 * event listener running on the link's loop thread.
 */
@Component
public class ClockCaller {

    private final RemoteClock clock;
    private final Journal journal;
    private final String identity;
    private final Logger log;

    public ClockCaller(RemoteClock clock, Journal journal, @Value("${snakemq.identity}") String identity) {
        this.clock = clock;
        this.journal = journal;
        this.identity = identity;
        this.log = LoggerFactory.getLogger("sample." + identity);
    }

    /** Calls {@code now()} and {@code add(a, b)}, then sends the signal {@code ping}. */
    public void callClock(int a, int b) {
        String now = clock.now();
        log.info("RPC clock.now() on alice returned {}", now);
        journal.add(identity, Journal.Kind.RPC_RESULT, "alice", "now = " + now);

        int sum = clock.add(a, b);
        log.info("RPC clock.add({}, {}) on alice returned {}", a, b, sum);
        journal.add(identity, Journal.Kind.RPC_RESULT, "alice", "add(" + a + ", " + b + ") = " + sum);

        clock.ping(identity);
        log.info("signal clock.ping(\"{}\") sent to alice (signals get no reply)", identity);
    }
}
