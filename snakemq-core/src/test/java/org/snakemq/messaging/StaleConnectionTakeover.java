package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import org.snakemq.link.SslConfig;
import org.snakemq.message.Message;
import org.snakemq.testing.TestPeer;

/**
 * What the identity tests check under each configuration: bob, reconnecting with the same certificate
 * while his old connection is still open (a peer that restarted before the old socket closed), takes
 * over the identity; the old connection is closed and messages go to the new one.
 */
final class StaleConnectionTakeover {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private StaleConnectionTakeover() {
    }

    /** {@code server} listens at {@code bound} and verifies identities; bob dials it with {@code bobTls}. */
    static void check(TestPeer server, InetSocketAddress bound, SslConfig bobTls) {
        try (TestPeer stale = new TestPeer("bob"); TestPeer fresh = new TestPeer("bob")) {
            // the stale peer does not dial again within the test
            stale.link.addConnector(bound, Duration.ofMinutes(10), bobTls);
            stale.start();
            await().atMost(WAIT).until(() -> server.connects.equals(List.of("bob")) && stale.connects.size() == 1);

            fresh.link.addConnector(bound, bobTls);
            fresh.start();
            await().atMost(WAIT).until(() -> server.connects.equals(List.of("bob", "bob"))
                    && fresh.connects.size() == 1 && stale.disconnects.size() >= 1);
            assertThat(server.disconnects).containsExactly("bob");
            assertThat(server.errors).isEmpty();
            server.messaging.send("bob", Message.of("to the new bob").withTtl(Duration.ofMinutes(1)));
            await().atMost(WAIT).until(() -> fresh.textsFrom("alice").equals(List.of("to the new bob")));
            assertThat(stale.textsFrom("alice")).isEmpty();
        }
    }
}
