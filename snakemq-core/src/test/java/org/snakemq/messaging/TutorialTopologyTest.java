package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.snakemq.message.Message;
import org.snakemq.testing.TestPeer;

/** The tutorial's three peers: bob and jack listen, everybody connects to everybody. */
class TutorialTopologyTest {

    @Test
    void everyPeerDeliversToEveryOtherInBothDirections() {
        try (TestPeer bob = new TestPeer("bob");
             TestPeer alice = new TestPeer("alice");
             TestPeer jack = new TestPeer("jack")) {
            InetSocketAddress bobPort = bob.listen();
            InetSocketAddress jackPort = jack.listen();
            bob.connectTo(jackPort);
            alice.connectTo(bobPort).connectTo(jackPort);
            jack.connectTo(bobPort);
            List.of(bob, alice, jack).forEach(TestPeer::start);

            List<TestPeer> peers = List.of(bob, alice, jack);
            for (TestPeer from : peers) {
                for (TestPeer to : peers) {
                    if (from != to) {
                        for (int i = 0; i < 3; i++) {
                            from.messaging.send(to.messaging.identity(),
                                    Message.of(from.messaging.identity() + "->" + to.messaging.identity() + " #" + i)
                                            .withTtl(Duration.ofSeconds(600)));
                        }
                    }
                }
            }

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (TestPeer to : peers) {
                    for (TestPeer from : peers) {
                        if (from != to) {
                            String f = from.messaging.identity();
                            String t = to.messaging.identity();
                            assertThat(to.textsFrom(f)).containsExactly(f + "->" + t + " #0", f + "->" + t + " #1",
                                    f + "->" + t + " #2");
                        }
                    }
                }
            });
        }
    }
}
