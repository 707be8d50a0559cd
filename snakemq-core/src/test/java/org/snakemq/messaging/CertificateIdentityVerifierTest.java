package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.snakemq.link.SslConfig;
import org.snakemq.message.Message;
import org.snakemq.testing.TestPeer;
import org.snakemq.testing.TestPki;

/** Identities bound to TLS certificates through {@link CertificateIdentityVerifier}. */
class CertificateIdentityVerifierTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    static SslConfig alice;
    static SslConfig bob;
    /** CN=node-7 with DNS names bob.example and *.example. */
    static SslConfig node7;

    @BeforeAll
    static void certificates() {
        TestPki pki = new TestPki(dir);
        TestPki.Issued root = TestPki.ca("testroot");
        alice = pki.write(TestPki.peer(root, "alice"), root).mutualTls();
        bob = pki.write(TestPki.peer(root, "bob"), root).mutualTls();
        node7 = pki.write(TestPki.peer(root, "node-7", TestPki.ecKeys(),
                List.of("bob.example", "*.example"), List.of("127.0.0.1")), root).mutualTls();
    }

    static TestPeer verifying(String identity) {
        TestPeer peer = new TestPeer(identity);
        peer.messaging.setIdentityVerifier(new CertificateIdentityVerifier());
        return peer;
    }

    /** Starts {@code client}, dialling {@code server} over TLS with {@code tls}. */
    static void connect(TestPeer client, InetSocketAddress server, SslConfig tls) {
        client.link.addConnector(server, tls);
        client.start();
    }

    @Test
    void identityEqualToCertificateCnIsAccepted() {
        try (TestPeer server = verifying("alice"); TestPeer client = verifying("bob")) {
            connect(client, server.startListening(alice), bob);
            // each side checks the other: alice's CN is alice, bob's is bob
            await().atMost(WAIT).until(() -> server.connects.contains("bob") && client.connects.contains("alice"));
            client.messaging.send("alice", Message.of("hi").withTtl(Duration.ofMinutes(1)));
            await().atMost(WAIT).until(() -> server.textsFrom("bob").equals(List.of("hi")));
        }
    }

    @Test
    void identityEqualToSanDnsNameIsAcceptedIgnoringCase() {
        try (TestPeer server = verifying("alice"); TestPeer client = verifying("Bob.Example")) {
            connect(client, server.startListening(alice), node7);
            await().atMost(WAIT).until(() -> server.connects.contains("Bob.Example"));
        }
    }

    @Test
    void identityNotNamedByTheCertificateIsDisconnected() {
        // "carol" is neither the CN (node-7) nor a DNS name; the wildcard *.example must not match "x.example"
        for (String claimed : List.of("carol", "x.example")) {
            try (TestPeer server = verifying("alice"); TestPeer client = new TestPeer(claimed)) {
                connect(client, server.startListening(alice), node7);
                await().atMost(WAIT).until(() -> server.errors.stream()
                        .anyMatch(e -> e.getMessage().contains("identity " + claimed + " refused")));
                assertThat(server.connects).isEmpty();
                assertThat(server.errors.get(0).getMessage()).contains("CN=node-7", "DNS=bob.example");
            }
        }
    }

    @Test
    void plaintextPeerIsRefused() {
        try (TestPeer server = verifying("alice"); TestPeer client = new TestPeer("bob")) {
            InetSocketAddress bound = server.startListening(null);
            client.connectTo(bound).start();
            await().atMost(WAIT).until(() -> server.errors.stream()
                    .anyMatch(e -> e.getMessage().contains("not a TLS connection")));
            assertThat(server.connects).isEmpty();
        }
    }

    @Test
    void reconnectWithTheSameCertificateTakesOverAStaleConnection() {
        try (TestPeer server = verifying("alice")) {
            StaleConnectionTakeover.check(server, server.startListening(alice), bob);
        }
    }

    @Test
    void withoutVerifierASecondConnectionOfAnIdentityIsRefused() {
        try (TestPeer server = new TestPeer("alice"); TestPeer first = new TestPeer("bob");
             TestPeer second = new TestPeer("bob")) {
            InetSocketAddress bound = server.startListening(alice);
            first.link.addConnector(bound, bob);
            first.start();
            await().atMost(WAIT).until(() -> server.connects.equals(List.of("bob")));
            second.link.addConnector(bound, bob);
            second.start();
            await().atMost(WAIT).until(() -> server.errors.stream()
                    .anyMatch(e -> e.getMessage().contains("already connected")));
            assertThat(server.connects).containsExactly("bob");
            second.link.removeConnector(bound);
        }
    }
}
