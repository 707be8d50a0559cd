package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
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

/** {@link MessagingOptions#requireVerifiedIdentity()}: identities only with a certificate that names them. */
class RequireVerifiedIdentityTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final MessagingOptions REQUIRED = MessagingOptions.defaults().withRequireVerifiedIdentity(true);

    @TempDir
    static Path dir;

    static SslConfig alice;
    static SslConfig bob;
    /** Another certificate for CN=bob from the same CA, with another key. */
    static SslConfig otherBob;
    static SslConfig carol;

    @BeforeAll
    static void certificates() throws IOException {
        TestPki pki = new TestPki(Files.createDirectories(dir.resolve("a")));
        TestPki.Issued root = TestPki.ca("testroot");
        alice = pki.write(TestPki.peer(root, "alice"), root).mutualTls();
        bob = pki.write(TestPki.peer(root, "bob"), root).mutualTls();
        carol = pki.write(TestPki.peer(root, "carol"), root).mutualTls();
        otherBob = new TestPki(Files.createDirectories(dir.resolve("b"))).write(TestPki.peer(root, "bob"), root)
                .mutualTls();
    }

    /** alice, requiring verified identities, with the certificate verifier unless told otherwise. */
    static TestPeer server(boolean withVerifier) {
        TestPeer server = new TestPeer("alice", null, REQUIRED);
        if (withVerifier) {
            server.messaging.setIdentityVerifier(new CertificateIdentityVerifier());
        }
        return server;
    }

    static boolean refused(TestPeer server, String text) {
        return server.errors.stream().anyMatch(e -> e.getMessage().contains(text));
    }

    @Test
    void defaultsDoNotRequireVerifiedIdentities() {
        assertThat(MessagingOptions.defaults().requireVerifiedIdentity()).isFalse();
        assertThat(REQUIRED.requireVerifiedIdentity()).isTrue();
        assertThat(REQUIRED.window()).isEqualTo(MessagingOptions.defaults().window());
    }

    @Test
    void plaintextConnectionIsRefused() {
        try (TestPeer server = server(true); TestPeer client = new TestPeer("bob")) {
            InetSocketAddress bound = server.startListening(null);
            client.connectTo(bound).start();
            await().atMost(WAIT).until(() -> refused(server, "identity bob refused")
                    && refused(server, "no peer certificate"));
            assertThat(server.connects).isEmpty();
            assertThat(server.messaging.isConnected("bob")).isFalse();
        }
    }

    @Test
    void withoutVerifierEveryIdentificationIsRefusedEvenWithACertificate() {
        try (TestPeer server = server(false); TestPeer client = new TestPeer("bob")) {
            InetSocketAddress bound = server.startListening(alice);
            client.link.addConnector(bound, bob);
            client.start();
            await().atMost(WAIT).until(() -> refused(server, "no identity verifier is set"));
            assertThat(server.connects).isEmpty();
        }
    }

    @Test
    void certificateWithoutMatchingNameIsRefused() {
        try (TestPeer server = server(true); TestPeer client = new TestPeer("bob")) {
            InetSocketAddress bound = server.startListening(alice);
            client.link.addConnector(bound, carol); // claims bob with carol's certificate
            client.start();
            await().atMost(WAIT).until(() -> refused(server, "identity bob refused")
                    && refused(server, "CN=carol"));
            assertThat(server.connects).isEmpty();
        }
    }

    @Test
    void takeoverByAnotherCertificateIsRefusedAndTheHolderKeepsItsMessages() {
        try (TestPeer server = server(true); TestPeer holder = new TestPeer("bob");
             TestPeer squatter = new TestPeer("bob")) {
            InetSocketAddress bound = server.startListening(alice);
            // the holder does not dial again within the test: its connection looks like a stale one
            holder.link.addConnector(bound, Duration.ofMinutes(10), bob);
            holder.start();
            await().atMost(WAIT).until(() -> server.connects.equals(List.of("bob")));

            // a valid certificate naming bob, but not the key bob identified with
            squatter.link.addConnector(bound, Duration.ofMinutes(10), otherBob);
            squatter.start();
            await().atMost(WAIT).until(() -> refused(server, "another certificate key"));
            assertThat(server.connects).containsExactly("bob");
            assertThat(server.disconnects).isEmpty();
            assertThat(holder.disconnects).isEmpty();

            server.messaging.send("bob", Message.of("for the holder").withTtl(Duration.ofMinutes(1)));
            await().atMost(WAIT).until(() -> holder.textsFrom("alice").equals(List.of("for the holder")));
            assertThat(squatter.received).isEmpty();
        }
    }

    @Test
    void sameCertificateReconnectingTakesOverItsStaleConnection() {
        try (TestPeer server = server(true)) {
            StaleConnectionTakeover.check(server, server.startListening(alice), bob);
        }
    }
}
