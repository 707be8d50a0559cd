package org.snakemq.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import org.snakemq.link.Connection;
import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** TLS listeners and connectors configured through Spring Boot SSL bundles (PEM and JKS). */
class SnakeMqSslBundleTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static TestCertificates otherCa;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SnakeMqAutoConfiguration.class));

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.create(dir);
        otherCa = TestCertificates.create(java.nio.file.Files.createDirectory(dir.resolve("other")));
    }

    private static String[] pemBundle(String name) {
        return new String[] {
                "spring.ssl.bundle.pem." + name + ".keystore.certificate=file:" + certs.peerCertificate,
                "spring.ssl.bundle.pem." + name + ".keystore.private-key=file:" + certs.peerKey,
                "spring.ssl.bundle.pem." + name + ".truststore.certificate=file:" + certs.caCertificate};
    }

    private static String[] jksBundle(String name) {
        return new String[] {
                "spring.ssl.bundle.jks." + name + ".keystore.location=file:" + certs.keyStore,
                "spring.ssl.bundle.jks." + name + ".keystore.password=" + TestCertificates.PASSWORD,
                "spring.ssl.bundle.jks." + name + ".keystore.type=JKS",
                "spring.ssl.bundle.jks." + name + ".key.password=" + TestCertificates.PASSWORD,
                "spring.ssl.bundle.jks." + name + ".truststore.location=file:" + certs.trustStore,
                "spring.ssl.bundle.jks." + name + ".truststore.password=" + TestCertificates.PASSWORD,
                "spring.ssl.bundle.jks." + name + ".truststore.type=JKS"};
    }

    @Test
    void pemBundleOnBothSidesWithClientCertificates() {
        exchangeOverTls(pemBundle("peer"), "need");
    }

    @Test
    void jksBundleOnBothSidesWithClientCertificates() {
        exchangeOverTls(jksBundle("peer"), "need");
    }

    @Test
    void pemBundleWithoutClientCertificates() {
        exchangeOverTls(pemBundle("peer"), "none");
    }

    /** bob listens with the bundle, alice connects with it; a message goes each way over TLS. */
    private void exchangeOverTls(String[] bundle, String clientAuth) {
        runner.withPropertyValues(bundle).withPropertyValues("snakemq.identity=bob",
                "snakemq.listeners[0].host=127.0.0.1", "snakemq.listeners[0].port=0",
                "snakemq.listeners[0].ssl-bundle=peer", "snakemq.listeners[0].client-auth=" + clientAuth)
                .run(bobContext -> {
            assertThat(bobContext).hasNotFailed();
            int port = bobContext.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            runner.withPropertyValues(bundle).withPropertyValues("snakemq.identity=alice",
                    "snakemq.connectors[0].host=localhost", "snakemq.connectors[0].port=" + port,
                    "snakemq.connectors[0].reconnect-interval=100ms", "snakemq.connectors[0].ssl-bundle=peer",
                    "snakemq.connectors[0].hostname-verification=true").run(aliceContext -> {
                assertThat(aliceContext).hasNotFailed();
                Messaging bob = bobContext.getBean(Messaging.class);
                Messaging alice = aliceContext.getBean(Messaging.class);
                await().atMost(WAIT).until(() -> bob.isConnected("alice") && alice.isConnected("bob"));
                assertThat(bobContext.getBean(Link.class).connections()).allMatch(Connection::isSecure);
                assertThat(aliceContext.getBean(Link.class).connections()).allMatch(Connection::isSecure);
                if (clientAuth.equals("need")) {
                    assertThat(bobContext.getBean(Link.class).connections())
                            .allSatisfy(c -> assertThat(c.peerCertificates()).isNotEmpty());
                }
                CorePeerInbox bobInbox = new CorePeerInbox(bob);
                alice.send("bob", Message.of("over tls"));
                await().atMost(WAIT).until(() -> bobInbox.texts.contains("over tls"));
            });
        });
    }

    @Test
    void connectorThatDoesNotTrustTheListenerDoesNotConnect() {
        runner.withPropertyValues(pemBundle("peer")).withPropertyValues("snakemq.identity=bob",
                "snakemq.listeners[0].host=127.0.0.1", "snakemq.listeners[0].port=0",
                "snakemq.listeners[0].ssl-bundle=peer").run(bobContext -> {
            int port = bobContext.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            // a bundle that trusts another CA only
            runner.withPropertyValues("spring.ssl.bundle.pem.strict.truststore.certificate=file:" + otherCa.caCertificate,
                    "snakemq.identity=alice", "snakemq.connectors[0].host=127.0.0.1",
                    "snakemq.connectors[0].port=" + port, "snakemq.connectors[0].reconnect-interval=100ms",
                    "snakemq.connectors[0].ssl-bundle=strict").run(aliceContext -> {
                assertThat(aliceContext).hasNotFailed();
                Messaging alice = aliceContext.getBean(Messaging.class);
                // several attempts fail the handshake; none is identified
                await().during(Duration.ofMillis(800)).atMost(WAIT).until(() -> !alice.isConnected("bob"));
            });
        });
    }

    @Test
    void emptyBundleNameMeansPlaintext() {
        runner.withPropertyValues(pemBundle("peer")).withPropertyValues("snakemq.identity=bob",
                "snakemq.listeners[0].host=127.0.0.1", "snakemq.listeners[0].port=0",
                "snakemq.listeners[0].ssl-bundle=").run(context -> {
            assertThat(context).hasNotFailed();
            int port = context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            try (CorePeer alice = new CorePeer("alice").connectTo(port, null)) {
                await().atMost(WAIT).until(() -> context.getBean(Messaging.class).isConnected("alice"));
                assertThat(alice.connections).singleElement().satisfies(c -> assertThat(c.isSecure()).isFalse());
            }
        });
    }

    @Test
    void unknownBundleFailsNamingTheProperty() {
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.listeners[0].port=0",
                "snakemq.listeners[0].ssl-bundle=missing").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("snakemq.listeners[0].ssl-bundle").hasMessageContaining("missing");
        });
    }

    @Test
    void listenerBundleWithoutKeyFailsNamingTheProperty() {
        runner.withPropertyValues("spring.ssl.bundle.pem.trustonly.truststore.certificate=file:" + certs.caCertificate,
                "snakemq.identity=bob", "snakemq.listeners[0].port=0",
                "snakemq.listeners[0].ssl-bundle=trustonly").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("snakemq.listeners[0].ssl-bundle").hasMessageContaining("key store");
        });
    }

    /** Collects the texts a messaging receives. */
    private static final class CorePeerInbox {
        final java.util.List<String> texts = new java.util.concurrent.CopyOnWriteArrayList<>();

        CorePeerInbox(Messaging messaging) {
            messaging.onMessageReceived().add((c, ident, message) -> texts.add(message.text()));
        }
    }
}
