package org.snakemq.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.packeter.Packeter;
import org.snakemq.testing.TestPeer;

/** The tutorial's stack, {@code new Packeter(new Throttle(link, rate))}, works unchanged above the throttle. */
class MessagingOverThrottleTest {

    @Test
    void messagesFlowBothWaysThroughAThrottledStack() {
        try (Link link = new Link(); TestPeer bob = new TestPeer("bob")) {
            Throttle throttle = new Throttle(link, 50_000);
            Messaging alice = new Messaging("alice", "", new Packeter(throttle));
            List<String> aliceGot = new CopyOnWriteArrayList<>();
            alice.onMessageReceived().add((c, ident, m) -> aliceGot.add(ident + ":" + m.text()));
            assertThat(alice.transport()).isSameAs(throttle);

            InetSocketAddress bound = bob.listen();
            bob.start();
            link.addConnector(bound);
            link.start();
            String padding = "x".repeat(2_000);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 40; i++) { // 80 kB: more than the throttle's backlog limit, so writability cycles
                alice.send("bob", Message.of(i + padding).withTtl(Duration.ofMinutes(1)));
                expected.add(i + padding);
            }
            bob.messaging.send("alice", Message.of("thanks").withTtl(Duration.ofMinutes(1)));
            await().atMost(Duration.ofSeconds(20)).until(() -> bob.textsFrom("alice").size() == expected.size());
            assertThat(bob.textsFrom("alice")).isEqualTo(expected);
            await().atMost(Duration.ofSeconds(10)).until(() -> aliceGot.contains("bob:thanks"));
            alice.close();
        }
    }
}
