package org.snakemq.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.test.AutoConfigureSnakeMqTestPeer;
import org.snakemq.test.SnakeMqTestPeer;

/**
 * Bob, the sample's second peer, against a test peer that stands in for alice: she serves a clock
 * of her own and receives what bob sends, without a second application.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"spring.profiles.active=bob", "snakemq.storage.type=memory"})
@AutoConfigureSnakeMqTestPeer(identity = "alice")
class BobWithTestPeerTest {

    @Autowired
    Messaging messaging;

    @Autowired
    RemoteClock clock;

    @Autowired
    Journal journal;

    /** What the test's alice serves as "clock". */
    public static class FixedClock {
        public String now() {
            return "2026-01-01T00:00:00Z";
        }

        public int add(int a, int b) {
            return a + b;
        }

        public void ping(String from) {
        }
    }

    @Test
    void bobJournalsWhatAliceSendsAndAliceReceivesWhatBobSends(SnakeMqTestPeer alice) {
        alice.awaitConnected("bob");
        Message hello = alice.send("bob", "hello bob");
        alice.awaitDelivered(hello); // bob's listeners returned
        assertThat(journal.entries()).anyMatch(e -> e.peer().equals("bob") && e.kind() == Journal.Kind.RECEIVED
                && e.other().equals("alice") && e.text().equals("hello bob"));

        messaging.send("alice", Message.of("hello alice").withTtl(Duration.ofMinutes(1)));
        assertThat(alice.awaitMessageFrom("bob").text()).isEqualTo("hello alice");
    }

    @Test
    void bobsClockProxyCallsTheClockAliceServes(SnakeMqTestPeer alice) {
        alice.serve("clock", new FixedClock());
        alice.awaitConnected("bob");

        assertThat(clock.add(2, 3)).isEqualTo(5);
        assertThat(clock.now()).isEqualTo("2026-01-01T00:00:00Z");
    }
}
