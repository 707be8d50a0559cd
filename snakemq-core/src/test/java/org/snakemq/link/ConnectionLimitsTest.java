package org.snakemq.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.snakemq.testing.LogCapture;
import org.snakemq.testing.RawPeer;
import org.snakemq.testing.TestPki;

/**
 * A listener holds at most so many connections open, in all and from one address; one beyond is
 * closed at once, counted and logged, and the others are unaffected. Raw sockets on loopback: the
 * client side binds 127.0.0.2, 127.0.0.3, ... to come from different addresses.
 */
class ConnectionLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private Socket open(InetSocketAddress listener, String from) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(listener, 5_000);
        return socket;
    }

    private List<Socket> openFromLoopback(InetSocketAddress listener, int count) throws IOException {
        List<Socket> opened = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            opened.add(open(listener, "127.0.0.1"));
        }
        return opened;
    }

    /**
     * Opens a connection the listener should refuse: whether it was reset while connecting or closed
     * (or reset) within the time after.
     */
    private boolean refused(InetSocketAddress listener, String from, Duration timeout) throws IOException {
        Socket socket;
        try {
            socket = open(listener, from);
        } catch (SocketException reset) {
            return true; // the reset came before connect() returned
        }
        return RawPeer.closedWithin(socket, timeout);
    }

    @Test
    void connectionsFromOneAddressBeyondItsLimitAreClosedAtOnceAndOthersStillGetIn() throws IOException {
        try (RecordingLink server = new RecordingLink(LinkOptions.defaults().withMaxConnections(100, 3));
             LogCapture logs = new LogCapture("snakemq.link")) {
            InetSocketAddress bound = server.listen(null);
            List<Socket> admitted = openFromLoopback(bound, 3);
            await().atMost(WAIT).until(() -> server.connects.size() == 3);

            long start = System.nanoTime();
            assertThat(refused(bound, "127.0.0.1", WAIT)).as("the fourth from 127.0.0.1 is closed").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("at once").isLessThan(Duration.ofSeconds(2));
            assertThat(server.link.refusedConnections()).isEqualTo(1);
            assertThat(server.connects).as("the refused one never reached onConnect").hasSize(3);

            Socket other = open(bound, "127.0.0.2");
            await().atMost(WAIT).until(() -> server.connects.size() == 4);
            assertThat(RawPeer.closedWithin(other, Duration.ofMillis(300))).as("another address gets in").isFalse();
            for (Socket socket : admitted) {
                assertThat(RawPeer.closedWithin(socket, Duration.ofMillis(50))).as("admitted ones stay open")
                        .isFalse();
            }
            assertThat(server.link.acceptedConnections(bound)).isEqualTo(4);

            // a closed connection frees its place
            admitted.get(0).close();
            await().atMost(WAIT).until(() -> server.link.acceptedConnections(bound) == 3);
            open(bound, "127.0.0.1");
            await().atMost(WAIT).until(() -> server.connects.size() == 5);
            assertThat(server.link.refusedConnections()).isEqualTo(1);

            assertThat(logs.warnings()).anySatisfy(line -> assertThat(line).contains("refused connection from")
                    .contains("127.0.0.1").contains("maxConnectionsPerAddress"));
            assertThat(logs.errors()).isEmpty();
        }
    }

    @Test
    void connectionsBeyondTheListenersLimitAreClosedAtOnceWhateverTheirAddress() throws IOException {
        try (RecordingLink server = new RecordingLink(LinkOptions.defaults().withMaxConnections(3, 100));
             LogCapture logs = new LogCapture("snakemq.link")) {
            InetSocketAddress bound = server.listen(null);
            for (int i = 1; i <= 3; i++) {
                open(bound, "127.0.0." + i);
            }
            await().atMost(WAIT).until(() -> server.connects.size() == 3);
            for (int i = 4; i <= 6; i++) {
                assertThat(refused(bound, "127.0.0." + i, WAIT)).as("from 127.0.0." + i).isTrue();
            }
            assertThat(server.link.refusedConnections()).isEqualTo(3);
            assertThat(server.connects).hasSize(3);
            assertThat(server.link.acceptedConnections(bound)).isEqualTo(3);
            assertThat(logs.warnings()).anySatisfy(line -> assertThat(line).contains("maxConnections"));
        }
    }

    @Test
    void eachListenerCountsItsOwnConnections() throws IOException {
        try (RecordingLink server = new RecordingLink(LinkOptions.defaults().withMaxConnections(1, 1))) {
            InetSocketAddress first = server.listen(null);
            InetSocketAddress second = server.link.addListener(new InetSocketAddress("127.0.0.1", 0));
            open(first, "127.0.0.1");
            open(second, "127.0.0.1");
            await().atMost(WAIT).until(() -> server.connects.size() == 2);
            assertThat(refused(first, "127.0.0.1", WAIT)).isTrue();
            assertThat(server.link.refusedConnections()).isEqualTo(1);
        }
    }

    @Test
    void connectionsStalledBeforeTheirTlsHandshakeCountAndTheOneBeyondIsClosedQuietly(@TempDir Path dir)
            throws IOException {
        TestPki pki = new TestPki(dir);
        TestPki.Issued root = TestPki.ca("limits-root");
        TestPki.PeerFiles files = pki.write(TestPki.peer(root, "bob"), root);
        SslConfig tls = SslConfig.builder().pem(files.key(), files.certChain())
                .trustedCertificates(files.caCertificates()).handshakeTimeout(Duration.ofSeconds(30)).build();
        try (RecordingLink server = new RecordingLink(LinkOptions.defaults().withMaxConnections(100, 2));
             LogCapture logs = new LogCapture("snakemq.link")) {
            InetSocketAddress bound = server.listen(tls);
            Socket stalled1 = open(bound, "127.0.0.1"); // never sends a ClientHello
            Socket stalled2 = open(bound, "127.0.0.1");
            await().atMost(WAIT).until(() -> server.link.acceptedConnections(bound) == 2);
            assertThat(refused(bound, "127.0.0.1", WAIT)).isTrue();
            assertThat(server.link.refusedConnections()).isEqualTo(1);
            assertThat(RawPeer.closedWithin(stalled1, Duration.ofMillis(100))).isFalse();
            assertThat(RawPeer.closedWithin(stalled2, Duration.ofMillis(100))).isFalse();
            assertThat(server.connects).as("no TLS connection finished its handshake").isEmpty();
            assertThat(logs.warnings()).as("a refusal is not a TLS failure").noneMatch(line -> line.contains("TLS"));
        }
    }

    @Test
    void aPeerOpeningAndClosingConnectionsInATightLoopLeavesRoomForAGoodOne() throws IOException {
        try (RecordingLink server = new RecordingLink(LinkOptions.defaults().withMaxConnections(1_000, 20));
             LogCapture logs = new LogCapture("snakemq.link")) {
            InetSocketAddress bound = server.listen(null);
            List<Socket> held = openFromLoopback(bound, 20);
            await().atMost(WAIT).until(() -> server.link.acceptedConnections(bound) == 20);
            int attempts = 500;
            long start = System.nanoTime();
            for (int i = 0; i < attempts; i++) {
                try (Socket churn = new Socket()) {
                    churn.bind(new InetSocketAddress("127.0.0.1", 0));
                    churn.connect(bound, 5_000);
                } catch (IOException e) {
                    // a reset while connecting is a refusal too
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            await().atMost(WAIT).until(() -> server.link.refusedConnections() == attempts);

            long goodStart = System.nanoTime();
            Socket good = open(bound, "127.0.0.2");
            await().atMost(Duration.ofSeconds(1)).until(() -> server.link.acceptedConnections(bound) == 21);
            assertThat(Duration.ofNanos(System.nanoTime() - goodStart)).isLessThan(Duration.ofSeconds(1));
            assertThat(RawPeer.closedWithin(good, Duration.ofMillis(100))).isFalse();
            assertThat(logs.warnings().size()).as("refusals are logged at most 20 lines a second")
                    .isLessThanOrEqualTo(20 * ((int) Math.ceil(seconds) + 2));
            assertThat(logs.errors()).isEmpty();
        }
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> LinkOptions.defaults().withMaxConnections(0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> LinkOptions.defaults().withMaxConnections(1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(LinkOptions.defaults().maxConnections()).isEqualTo(10_000);
        assertThat(LinkOptions.defaults().maxConnectionsPerAddress()).isEqualTo(1_000);
        assertThat(LinkOptions.defaults().withSpinLimit(Duration.ZERO).withMaxConnections(5, 2).withNativeTransport(false))
                .satisfies(o -> {
                    assertThat(o.maxConnections()).isEqualTo(5);
                    assertThat(o.maxConnectionsPerAddress()).isEqualTo(2);
                });
    }
}
