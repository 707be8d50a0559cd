package org.snakemq.link;

import org.snakemq.testing.LogCapture;
import org.snakemq.testing.TestPki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the link: raw bytes over {@link Link#send} and {@code onReceive} between links that use
 * certificates generated for this test run.
 */
class TlsLinkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static java.nio.file.Path dir;

    static TestPki pki;
    static TestPki.Issued root;
    static TestPki.Issued rogueRoot;
    static TestPki.PeerFiles alice;
    static TestPki.PeerFiles bob;
    static TestPki.PeerFiles mallory;

    @BeforeAll
    static void certificates() {
        pki = new TestPki(dir);
        root = TestPki.ca("testroot");
        // same name as the real root, different key: an impersonation attempt, so that the rogue
        // peer's key manager picks its certificate for the listener's CA hint and sends it
        rogueRoot = TestPki.ca("testroot");
        alice = pki.write(TestPki.peer(root, "alice"), root);
        bob = pki.write(TestPki.peer(root, "bob"), root);
        // signed by a CA nobody trusts, but trusting the real root so that it accepts the listener
        mallory = pki.write(TestPki.peer(rogueRoot, "mallory"), root);
    }

    static SslConfig mutual(TestPki.PeerFiles files) {
        return mutual(files, "TLSv1.3", "TLSv1.2");
    }

    static SslConfig mutual(TestPki.PeerFiles files, String... protocols) {
        return SslConfig.builder()
                .pem(files.key(), files.certChain())
                .trustedCertificates(files.caCertificates())
                .peerCertificates(SslConfig.PeerCertificates.REQUIRED)
                .handshakeTimeout(Duration.ofSeconds(2))
                .protocols(protocols)
                .build();
    }

    @Test
    void mutualTlsCarriesBytesBothWaysWithTls13() {
        exchange(mutual(bob), "TLSv1.3");
    }

    @Test
    void mutualTlsCarriesBytesBothWaysWithTls12Forced() {
        exchange(mutual(bob, "TLSv1.2"), "TLSv1.2");
    }

    private void exchange(SslConfig connectorTls, String expectedProtocol) {
        try (RecordingLink server = new RecordingLink(); RecordingLink client = new RecordingLink()) {
            InetSocketAddress bound = server.listen(mutual(alice));
            client.connect(bound, connectorTls);
            await().atMost(WAIT).until(() -> !server.connects.isEmpty() && !client.connects.isEmpty());
            Connection atServer = server.firstConnection();
            Connection atClient = client.firstConnection();
            assertThat(atServer.isSecure()).isTrue();
            assertThat(server.protocolAtConnect.get(atServer.id())).isEqualTo(expectedProtocol);
            assertThat(client.protocolAtConnect.get(atClient.id())).isEqualTo(expectedProtocol);

            String up = "hello from bob ".repeat(5000);   // many TLS records
            String down = "hello from alice";
            client.send(atClient, up);
            server.send(atServer, down);
            await().atMost(WAIT).until(() -> server.receivedText(atServer).length() == up.length()
                    && client.receivedText(atClient).length() == down.length());
            assertThat(server.receivedText(atServer)).isEqualTo(up);
            assertThat(client.receivedText(atClient)).isEqualTo(down);
        }
    }

    @Test
    void peerCertificateChainIsAvailableInOnConnect() {
        try (RecordingLink server = new RecordingLink(); RecordingLink client = new RecordingLink()) {
            InetSocketAddress bound = server.listen(mutual(alice));
            client.connect(bound, mutual(bob));
            await().atMost(WAIT).until(() -> !server.connects.isEmpty() && !client.connects.isEmpty());
            // the chain files hold the peer's certificate followed by the root
            assertThat(server.peerNamesAtConnect.get(server.firstConnection().id()))
                    .containsExactly("bob", "testroot");
            assertThat(client.peerNamesAtConnect.get(client.firstConnection().id()))
                    .containsExactly("alice", "testroot");
            assertThat(server.firstConnection().peerCertificates().get(0).getIssuerX500Principal())
                    .isEqualTo(root.certificate().getSubjectX500Principal());
        }
    }

    @Test
    void connectorWithUntrustedCertificateIsRejected() {
        try (LogCapture log = new LogCapture("snakemq.link");
             RecordingLink server = new RecordingLink(); RecordingLink rogue = new RecordingLink()) {
            InetSocketAddress bound = server.listen(mutual(alice));
            rogue.connect(bound, mutual(mallory));
            // TLS 1.3 clients finish their side of the handshake before the server checks their
            // certificate, so the rogue may see a short-lived connection; the listener never does
            await().atMost(WAIT).until(() -> log.warnings().stream()
                    .anyMatch(w -> w.contains("TLS handshake") && w.contains("PKIX path")));
            await().atMost(WAIT).until(() -> rogue.connects.size() == rogue.disconnects.size());
            assertThat(server.connects).isEmpty();
            rogue.link.removeConnector(bound);

            assertServesGoodPeer(server, bound);
        }
    }

    @Test
    void connectorWithUntrustedCertificateNeverSeesAConnectionWithTls12() {
        try (LogCapture log = new LogCapture("snakemq.link");
             RecordingLink server = new RecordingLink(); RecordingLink rogue = new RecordingLink()) {
            InetSocketAddress bound = server.listen(mutual(alice));
            rogue.connect(bound, mutual(mallory, "TLSv1.2"));
            // in TLS 1.2 the server's Finished, which completes the client's handshake, comes only
            // after the server accepted the client certificate
            await().atMost(WAIT).until(() -> log.warnings().stream()
                    .anyMatch(w -> w.contains("TLS handshake") && w.contains("fatal alert: certificate_unknown")));
            rogue.link.removeConnector(bound);
            assertThat(rogue.connects).isEmpty();
            assertThat(server.connects).isEmpty();
        }
    }

    @Test
    void connectorWithoutCertificateIsRejectedWhenRequired() {
        SslConfig anonymous = SslConfig.builder().trustedCertificates(bob.caCertificates())
                .peerCertificateRequired(true).build();
        try (LogCapture log = new LogCapture("snakemq.link");
             RecordingLink server = new RecordingLink(); RecordingLink client = new RecordingLink()) {
            InetSocketAddress bound = server.listen(mutual(alice));
            client.connect(bound, anonymous);
            await().atMost(WAIT).until(() -> log.warnings().stream()
                    .anyMatch(w -> w.contains("TLS handshake") && w.contains("Empty client certificate chain")));
            await().atMost(WAIT).until(() -> client.connects.size() == client.disconnects.size());
            client.link.removeConnector(bound);
            assertThat(server.connects).isEmpty();

            assertServesGoodPeer(server, bound);
        }
    }

    @Test
    void plaintextClientOnTlsPortFailsCleanly() {
        try (LogCapture netty = new LogCapture("io.netty"); LogCapture log = new LogCapture("snakemq.link");
             RecordingLink server = new RecordingLink(); RecordingLink plain = new RecordingLink()) {
            InetSocketAddress bound = server.listen(mutual(alice));
            plain.whenConnected(c -> plain.send(c, "I speak no TLS, just bytes that do not look like a record"));
            plain.connect(bound, null);
            await().atMost(WAIT).until(() -> !plain.disconnects.isEmpty());
            plain.link.removeConnector(bound);
            await().atMost(WAIT).until(() -> log.warnings().stream().anyMatch(w -> w.contains("TLS")));
            assertThat(server.connects).isEmpty();
            assertThat(netty.warnings()).noneMatch(w -> w.contains("reached at the tail"));

            assertServesGoodPeer(server, bound);
            assertThat(netty.warnings()).isEmpty();
        }
    }

    @Test
    void tlsClientOnPlaintextPortFailsCleanly() {
        try (LogCapture netty = new LogCapture("io.netty"); LogCapture log = new LogCapture("snakemq.link");
             RecordingLink server = new RecordingLink(); RecordingLink tls = new RecordingLink()) {
            InetSocketAddress bound = server.listen(null);
            SslConfig shortHandshake = SslConfig.builder().pem(bob.key(), bob.certChain())
                    .trustedCertificates(bob.caCertificates()).peerCertificateRequired(true)
                    .handshakeTimeout(Duration.ofMillis(500)).build();
            tls.connect(bound, shortHandshake);
            // the plaintext listener sees a connection whose first byte is a TLS handshake record...
            await().atMost(WAIT).until(() -> !server.connects.isEmpty()
                    && !server.receivedText(server.firstConnection()).isEmpty());
            assertThat(server.receivedText(server.firstConnection()).charAt(0)).isEqualTo((char) 0x16);
            // ...and no answer, so the TLS side gives up after its handshake timeout
            await().atMost(WAIT).until(() -> !server.disconnects.isEmpty());
            tls.link.removeConnector(bound);
            assertThat(tls.connects).isEmpty();
            assertThat(log.warnings()).anyMatch(w -> w.contains("TLS handshake") && w.contains("timed out"));
            assertThat(netty.warnings()).isEmpty();

            // the plaintext listener still serves a plaintext peer
            try (RecordingLink good = new RecordingLink()) {
                good.connect(bound, null);
                await().atMost(WAIT).until(() -> !good.connects.isEmpty() && server.connects.size() == 2);
                good.send(good.firstConnection(), "plain hello");
                Connection second = server.connects.get(1);
                await().atMost(WAIT).until(() -> server.receivedText(second).equals("plain hello"));
            }
        }
    }

    @Test
    void stalledHandshakeIsDroppedAfterTimeout() throws Exception {
        SslConfig shortHandshake = SslConfig.builder().pem(alice.key(), alice.certChain())
                .trustedCertificates(alice.caCertificates()).peerCertificateRequired(true)
                .handshakeTimeout(Duration.ofMillis(400)).build();
        try (LogCapture log = new LogCapture("snakemq.link"); RecordingLink server = new RecordingLink()) {
            InetSocketAddress bound = server.listen(shortHandshake);
            long start = System.nanoTime();
            try (Socket raw = new Socket(bound.getAddress(), bound.getPort())) {
                raw.setSoTimeout((int) WAIT.toMillis());
                InputStream in = raw.getInputStream();
                int first;
                try {
                    first = in.read(); // we never send a ClientHello; the server must hang up
                } catch (SocketException reset) {
                    first = -1;
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("listener kept a stalled handshake open for " + WAIT, e);
                }
                assertThat(first).isEqualTo(-1);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(350));
            await().atMost(WAIT).until(() -> log.warnings().stream().anyMatch(w -> w.contains("timed out")));
            assertThat(server.connects).isEmpty();

            // the timeout also applies to a client that sends part of a record and stops
            try (Socket raw = new Socket(bound.getAddress(), bound.getPort())) {
                raw.setSoTimeout((int) WAIT.toMillis());
                OutputStream out = raw.getOutputStream();
                out.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
                out.flush();
                int first;
                try {
                    first = raw.getInputStream().read();
                } catch (SocketException reset) {
                    first = -1;
                }
                assertThat(first).isEqualTo(-1);
            }
            assertServesGoodPeer(server, bound);
        }
    }

    @Test
    void hostnameVerificationAcceptsMatchingSanAndRejectsWrongName() {
        TestPki.Issued other = TestPki.peer(root, "elsewhere", TestPki.ecKeys(), List.of("other.example"), List.of());
        TestPki.PeerFiles otherFiles = pki.write(other, root);
        SslConfig verifying = SslConfig.builder().pem(bob.key(), bob.certChain())
                .trustedCertificates(bob.caCertificates()).peerCertificateRequired(true)
                .hostnameVerification(true).build();
        try (LogCapture log = new LogCapture("snakemq.link");
             RecordingLink good = new RecordingLink(); RecordingLink wrong = new RecordingLink()) {
            InetSocketAddress goodAddress = good.listen(mutual(alice));
            InetSocketAddress wrongAddress = wrong.listen(mutual(otherFiles));

            // alice's certificate names 127.0.0.1 (IP SAN) and localhost (DNS SAN)
            try (RecordingLink byIp = new RecordingLink(); RecordingLink byName = new RecordingLink()) {
                byIp.connect(goodAddress, verifying);
                byName.connect(InetSocketAddress.createUnresolved("localhost", goodAddress.getPort()), verifying);
                await().atMost(WAIT).until(() -> !byIp.connects.isEmpty() && !byName.connects.isEmpty());
            }

            try (RecordingLink client = new RecordingLink()) {
                client.connect(wrongAddress, verifying);
                await().atMost(WAIT).until(() -> log.warnings().stream()
                        .anyMatch(w -> w.contains("TLS handshake") && w.contains("No subject alternative")));
                client.link.removeConnector(wrongAddress);
                assertThat(client.connects).isEmpty();
                assertThat(wrong.connects).isEmpty();
            }

            // the same certificate is fine for a connector that does not check names
            try (RecordingLink client = new RecordingLink()) {
                client.connect(wrongAddress, mutual(bob));
                await().atMost(WAIT).until(() -> !client.connects.isEmpty());
            }
        }
    }

    @Test
    void listenerWithoutCertificateRequestDoesNotAskForOne() {
        SslConfig serverOnly = SslConfig.builder().pem(alice.key(), alice.certChain()).build();
        SslConfig anonymousClient = SslConfig.builder().trustedCertificates(alice.caCertificates())
                .peerCertificateRequired(true).build();
        try (RecordingLink server = new RecordingLink(); RecordingLink client = new RecordingLink()) {
            InetSocketAddress bound = server.listen(serverOnly);
            client.connect(bound, anonymousClient);
            await().atMost(WAIT).until(() -> !server.connects.isEmpty() && !client.connects.isEmpty());
            assertThat(server.firstConnection().peerCertificates()).isEmpty();
            assertThat(client.peerNamesAtConnect.get(client.firstConnection().id())).startsWith("alice");
        }
    }

    /** A well-configured peer still connects to the listener and exchanges bytes. */
    private static void assertServesGoodPeer(RecordingLink server, InetSocketAddress bound) {
        int before = server.connects.size();
        try (RecordingLink good = new RecordingLink()) {
            good.connect(bound, mutual(bob));
            await().atMost(WAIT).until(() -> server.connects.size() == before + 1 && !good.connects.isEmpty());
            Connection atServer = server.connects.get(before);
            good.send(good.firstConnection(), "still here");
            await().atMost(WAIT).until(() -> server.receivedText(atServer).equals("still here"));
            assertThat(server.peerNamesAtConnect.get(atServer.id())).startsWith("bob");
        }
    }
}
