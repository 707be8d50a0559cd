package org.snakemq.autoconfigure;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import org.snakemq.link.Connection;
import org.snakemq.link.SslConfig;
import org.snakemq.messaging.CertificateIdentityVerifier;
import org.snakemq.messaging.IdentityVerifier;
import org.snakemq.messaging.Messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS in operation: SSL bundles reloaded by Spring Boot reach new connections without a restart,
 * and {@code snakemq.tls.verify-identity} binds identities to certificates.
 */
class SnakeMqTlsOperationsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger PEER_NUMBERS = new AtomicInteger();

    @TempDir
    static Path dir;
    static TestCertificates pki;
    static TestCertificates.Issued aliceCertificate;
    static TestCertificates.Issued bobCertificate;
    static TestCertificates.Issued malloryCertificate;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SnakeMqAutoConfiguration.class));

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestCertificates.create(dir);
        aliceCertificate = pki.issue("alice", "alice");
        bobCertificate = pki.issue("bob", "bob");
        malloryCertificate = pki.issue("mallory", "mallory");
    }

    @Test
    void reloadedPemBundleIsUsedByNewConnectionsWithoutARestart(@TempDir Path rotating) throws Exception {
        Path certificateFile = rotating.resolve("server.crt");
        Path keyFile = rotating.resolve("server.key");
        X509Certificate first = pki.issue("bob", certificateFile, keyFile).certificate();
        runner.withPropertyValues(SnakeMqContexts.BOB_LISTENING)
                .withPropertyValues("snakemq.listeners[0].ssl-bundle=server",
                "spring.ssl.bundle.pem.server.keystore.certificate=file:" + certificateFile,
                "spring.ssl.bundle.pem.server.keystore.private-key=file:" + keyFile,
                "spring.ssl.bundle.pem.server.reload-on-update=true",
                "spring.ssl.bundle.watch.file.quiet-period=100ms").run(context -> {
            assertThat(context).hasNotFailed();
            int port = context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            CountDownLatch reloaded = new CountDownLatch(1);
            context.getBean(SslBundles.class).addBundleUpdateHandler("server", bundle -> reloaded.countDown());

            try (CorePeer before = connect(port, trustingTheCa())) {
                assertThat(serverCertificate(before)).isEqualTo(first);

                X509Certificate second = pki.issue("bob", certificateFile, keyFile).certificate();
                assertThat(second).isNotEqualTo(first);
                assertThat(reloaded.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("Spring Boot reloaded the bundle")
                        .isTrue();
                // the key and the certificate file may be picked up in two reloads: wait for the pair
                await().atMost(WAIT).untilAsserted(() -> {
                    try (CorePeer after = connect(port, trustingTheCa())) {
                        assertThat(serverCertificate(after)).isEqualTo(second);
                    }
                });
                assertThat(before.messaging.isConnected("bob")).as("the connection made before goes on").isTrue();
            }
        });
    }

    @Test
    void withVerifyIdentityATrustedCertificateForMalloryCannotClaimBob() {
        runner.withPropertyValues(aliceListener()).withPropertyValues("snakemq.tls.verify-identity=true")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(CertificateIdentityVerifier.class);
                    Messaging alice = context.getBean(Messaging.class);
                    List<String> errors = new CopyOnWriteArrayList<>();
                    alice.onError().add((connection, error) -> errors.add(error.getMessage()));
                    int port = context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();

                    try (CorePeer mallory = new CorePeer("bob").connectTo(port, presenting(malloryCertificate))) {
                        await().atMost(WAIT).until(() -> errors.stream().anyMatch(e -> e.contains("refused")));
                        assertThat(errors).anySatisfy(e -> assertThat(e)
                                .contains("identity bob refused").contains("CN=mallory"));
                        assertThat(alice.isConnected("bob")).isFalse();
                    }
                    try (CorePeer bob = new CorePeer("bob").connectTo(port, presenting(bobCertificate))) {
                        await().atMost(WAIT).until(() -> alice.isConnected("bob"));
                    }
                });
    }

    @Test
    void withoutVerifyIdentityAnyTrustedCertificateMayClaimAnyIdentity() {
        runner.withPropertyValues(aliceListener()).run(context -> {
            assertThat(context).doesNotHaveBean(IdentityVerifier.class);
            Messaging alice = context.getBean(Messaging.class);
            int port = context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            try (CorePeer mallory = new CorePeer("bob").connectTo(port, presenting(malloryCertificate))) {
                await().atMost(WAIT).until(() -> alice.isConnected("bob"));
            }
        });
    }

    @Test
    void verifyIdentityNeedsClientCertificatesOnEveryListener() {
        runner.withPropertyValues(aliceListener()).withPropertyValues("snakemq.tls.verify-identity=true",
                "snakemq.listeners[0].client-auth=want").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("snakemq.listeners[0].client-auth");
        });
        runner.withPropertyValues("snakemq.identity=alice", "snakemq.tls.verify-identity=true",
                "snakemq.connectors[0].host=127.0.0.1", "snakemq.connectors[0].port=4000").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("snakemq.connectors[0].ssl-bundle");
        });
    }

    @Test
    void requireVerifiedIdentityRefusesATakeoverWithAnotherCertificateForTheSameName() throws Exception {
        TestCertificates.Issued otherBob = pki.issue("bob", "bob-other-key");
        runner.withPropertyValues(aliceListener()).withPropertyValues("snakemq.tls.verify-identity=true",
                "snakemq.security.require-verified-identity=true").run(context -> {
            assertThat(context).hasNotFailed();
            Messaging alice = context.getBean(Messaging.class);
            assertThat(alice.options().requireVerifiedIdentity()).isTrue();
            List<String> errors = new CopyOnWriteArrayList<>();
            alice.onError().add((connection, error) -> errors.add(error.getMessage()));
            int port = context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();

            try (CorePeer bob = new CorePeer("bob").connectTo(port, presenting(bobCertificate))) {
                await().atMost(WAIT).until(() -> alice.isConnected("bob") && bob.connections.size() == 1);
                try (CorePeer squatter = new CorePeer("bob").connectTo(port, presenting(otherBob))) {
                    await().atMost(WAIT).until(() -> errors.stream().anyMatch(e -> e.contains("another certificate key")));
                    alice.send("bob", org.snakemq.message.Message.of("still yours").withTtl(Duration.ofMinutes(1)));
                    await().atMost(WAIT).until(() -> bob.received.size() == 1);
                    assertThat(bob.received.get(0).text()).isEqualTo("still yours");
                    assertThat(bob.connections).hasSize(1);
                    assertThat(squatter.received).isEmpty();
                }
            }
        });
    }

    @Test
    void requireVerifiedIdentityWithoutVerifyIdentityFailsNamingBothProperties() {
        runner.withPropertyValues(aliceListener()).withPropertyValues("snakemq.security.require-verified-identity=true")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("snakemq.security.require-verified-identity")
                            .hasMessageContaining("snakemq.tls.verify-identity");
                });
    }

    /** alice listens with her certificate and asks connecting peers for theirs. */
    private static String[] aliceListener() {
        return new String[] {"snakemq.identity=alice", "snakemq.listeners[0].host=127.0.0.1",
                "snakemq.listeners[0].port=0", "snakemq.listeners[0].ssl-bundle=alice",
                "snakemq.listeners[0].client-auth=need",
                "spring.ssl.bundle.pem.alice.keystore.certificate=file:" + aliceCertificate.certificateFile(),
                "spring.ssl.bundle.pem.alice.keystore.private-key=file:" + aliceCertificate.keyFile(),
                "spring.ssl.bundle.pem.alice.truststore.certificate=file:" + pki.caCertificate};
    }

    private static SslConfig trustingTheCa() {
        return SslConfig.builder().trustedCertificates(pki.caCertificate).peerCertificateRequired(true).build();
    }

    private static SslConfig presenting(TestCertificates.Issued certificate) {
        return SslConfig.builder().pem(certificate.keyFile(), certificate.certificateFile())
                .trustedCertificates(pki.caCertificate).peerCertificateRequired(true).build();
    }

    /** A new peer with its own identity, connected to bob over TLS. */
    private static CorePeer connect(int port, SslConfig ssl) {
        CorePeer peer = new CorePeer("carol-" + PEER_NUMBERS.incrementAndGet()).connectTo(port, ssl);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> peer.messaging.isConnected("bob") && !peer.connections.isEmpty());
        } catch (RuntimeException | Error e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    private static X509Certificate serverCertificate(CorePeer peer) {
        Connection connection = peer.connections.get(0);
        assertThat(connection.isSecure()).isTrue();
        return connection.peerCertificates().get(0);
    }
}
