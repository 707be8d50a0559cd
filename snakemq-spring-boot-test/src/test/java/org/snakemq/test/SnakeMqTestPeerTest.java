package org.snakemq.test;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.snakemq.message.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test peer on its own: two of them on loopback. */
class SnakeMqTestPeerTest {

    @Test
    void sendsReceivesRecordsAndSeesDeliveries() {
        try (SnakeMqTestPeer alice = SnakeMqTestPeer.start("alice"); SnakeMqTestPeer bob = SnakeMqTestPeer.start("bob")) {
            assertThat(alice.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(alice.port()).isPositive().isNotEqualTo(bob.port());
            bob.connectTo(alice.address());
            alice.awaitConnected("bob");
            Message first = bob.send("alice", "one");
            bob.send("alice", Message.of("two").persistent());

            assertThat(alice.awaitMessage("bob", "two").message().isPersistent()).isTrue();
            assertThat(alice.awaitMessages(2)).extracting(SnakeMqTestPeer.Received::text).containsExactly("one", "two");
            bob.awaitDelivered(first);
            alice.reset();
            assertThat(alice.received()).isEmpty();
        }
    }

    @Test
    void aWaitThatRunsOutFailsWithWhatWasReceived() {
        try (SnakeMqTestPeer alice = SnakeMqTestPeer.start("alice").timeout(Duration.ofMillis(200));
             SnakeMqTestPeer bob = SnakeMqTestPeer.start("bob")) {
            bob.connectTo(alice.address());
            bob.send("alice", "hello");
            alice.awaitMessageFrom("bob");

            assertThatThrownBy(() -> alice.awaitMessage("bob", "goodbye")).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("no matching message reached alice; received: [bob: \"hello\"]")
                    .hasMessageContaining("waited 200 ms");
            assertThatThrownBy(() -> alice.awaitConnected("carol")).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("carol did not connect to alice; connected: [bob]");
            assertThatThrownBy(() -> alice.awaitMessages(2)).hasMessageContaining("alice received 1 of 2 messages");
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> SnakeMqTestPeer.start(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a test peer needs an identity");
        try (SnakeMqTestPeer alice = SnakeMqTestPeer.start("alice")) {
            assertThatThrownBy(() -> alice.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("timeout must be positive");
            assertThatThrownBy(() -> alice.awaitMessages(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
