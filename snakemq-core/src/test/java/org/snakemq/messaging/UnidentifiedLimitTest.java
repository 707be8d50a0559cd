package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.snakemq.message.Message;
import org.snakemq.testing.RawPeer;
import org.snakemq.testing.TestPeer;

/** {@link MessagingOptions#maxUnidentified()}: connections that never identify cannot crowd out the others. */
class UnidentifiedLimitTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void defaultIsAThousandAndTheLimitMustBePositive() {
        assertThat(MessagingOptions.defaults().maxUnidentified()).isEqualTo(1000);
        assertThatThrownBy(() -> MessagingOptions.defaults().withMaxUnidentified(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneOverTheLimitIsClosedAtOnceAndIdentificationOrDisconnectReleasesASlot() throws IOException {
        MessagingOptions options = MessagingOptions.defaults().withMaxUnidentified(3)
                .withHandshakeTimeout(Duration.ofMinutes(1));
        List<RawPeer> silent = new ArrayList<>();
        try (TestPeer server = new TestPeer("alice", null, options)) {
            InetSocketAddress bound = server.listen();
            server.start();
            for (int i = 0; i < 3; i++) {
                RawPeer raw = new RawPeer(bound);
                silent.add(raw);
                raw.readHandshake(); // the server counted it: it greeted it
            }
            assertThat(server.messaging.unidentifiedConnections()).isEqualTo(3);

            try (RawPeer over = new RawPeer(bound)) {
                assertThat(over.closedWithin(WAIT)).as("closed without a greeting").isTrue();
            }
            assertThat(server.messaging.refusedUnidentified()).isEqualTo(1);

            // identifying frees a slot
            silent.get(0).handshakeWithAcks("one");
            await().atMost(WAIT).until(() -> server.messaging.isConnected("one"));
            assertThat(server.messaging.unidentifiedConnections()).isEqualTo(2);
            try (TestPeer bob = new TestPeer("bob")) {
                bob.connectTo(bound).start();
                await().atMost(WAIT).until(() -> server.messaging.isConnected("bob"));
                bob.messaging.send("alice", Message.of("served").withTtl(Duration.ofMinutes(1)));
                await().atMost(WAIT).until(() -> server.textsFrom("bob").equals(List.of("served")));
            }

            // so does closing
            silent.get(1).close();
            await().atMost(WAIT).until(() -> server.messaging.unidentifiedConnections() == 1);
            RawPeer again = new RawPeer(bound);
            silent.add(again);
            again.readHandshake();
            assertThat(server.messaging.unidentifiedConnections()).isEqualTo(2);
            assertThat(server.messaging.refusedUnidentified()).isEqualTo(1);
        } finally {
            for (RawPeer raw : silent) {
                raw.close();
            }
        }
    }

    @Test
    void aFloodOfSilentConnectionsIsRefusedWhileAnIdentifiedPeerIsServed() throws IOException {
        MessagingOptions options = MessagingOptions.defaults().withMaxUnidentified(20)
                .withHandshakeTimeout(Duration.ofMinutes(1));
        List<RawPeer> silent = new ArrayList<>();
        try (TestPeer server = new TestPeer("alice", null, options); TestPeer bob = new TestPeer("bob")) {
            InetSocketAddress bound = server.listen();
            server.start();
            bob.connectTo(bound).start();
            await().atMost(WAIT).until(() -> server.messaging.isConnected("bob"));
            for (int i = 0; i < 200; i++) {
                silent.add(new RawPeer(bound));
            }
            await().atMost(WAIT).until(() -> server.messaging.refusedUnidentified() == 180);
            assertThat(server.messaging.unidentifiedConnections()).isEqualTo(20);
            bob.messaging.send("alice", Message.of("still served").withTtl(Duration.ofMinutes(1)));
            await().atMost(WAIT).until(() -> server.textsFrom("bob").equals(List.of("still served")));
        } finally {
            for (RawPeer raw : silent) {
                raw.close();
            }
        }
    }
}
