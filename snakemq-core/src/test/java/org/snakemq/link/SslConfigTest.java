package org.snakemq.link;

import org.snakemq.testing.LogCapture;
import org.snakemq.testing.TestPki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every way of giving an {@link SslConfig} its key and trust material ends in a working mutual-TLS link. */
class SslConfigTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;

    static TestPki pki;
    static TestPki.Issued root;
    static TestPki.Issued alice;
    static TestPki.PeerFiles aliceFiles;
    static TestPki.Issued rsaBob;
    static TestPki.Issued ecBob;

    @BeforeAll
    static void certificates() {
        pki = new TestPki(dir);
        root = TestPki.ca("testroot");
        alice = TestPki.peer(root, "alice");
        aliceFiles = pki.write(alice, root);
        rsaBob = TestPki.peer(root, "bob", TestPki.rsaKeys(), List.of("localhost"), List.of("127.0.0.1"));
        ecBob = TestPki.peer(root, "bob", TestPki.ecKeys(), List.of("localhost"), List.of("127.0.0.1"));
    }

    enum PemKey {
        RSA_PKCS8, RSA_PKCS1, RSA_ENCRYPTED_PKCS8, EC_PKCS8, EC_SEC1, EC_ENCRYPTED_PKCS8, EC_KEY_AND_CERT_IN_ONE_FILE
    }

    @ParameterizedTest
    @EnumSource(PemKey.class)
    void pemKeysInEveryCommonFormatWork(PemKey format) throws Exception {
        TestPki.Issued bob = format.name().startsWith("RSA") ? rsaBob : ecBob;
        TestPki.KeyFormat keyFormat = switch (format) {
            case RSA_PKCS1, EC_SEC1 -> TestPki.KeyFormat.TRADITIONAL;
            case RSA_ENCRYPTED_PKCS8, EC_ENCRYPTED_PKCS8 -> TestPki.KeyFormat.ENCRYPTED_PKCS8;
            default -> TestPki.KeyFormat.PKCS8;
        };
        TestPki.PeerFiles files = pki.write(bob, root, keyFormat, "secret");
        String header = Files.readAllLines(files.key()).get(0);
        switch (format) {
            case RSA_PKCS1 -> assertThat(header).isEqualTo("-----BEGIN RSA PRIVATE KEY-----");
            case EC_SEC1 -> assertThat(header).isEqualTo("-----BEGIN EC PRIVATE KEY-----");
            case RSA_ENCRYPTED_PKCS8, EC_ENCRYPTED_PKCS8 ->
                    assertThat(header).isEqualTo("-----BEGIN ENCRYPTED PRIVATE KEY-----");
            default -> assertThat(header).isEqualTo("-----BEGIN PRIVATE KEY-----");
        }
        SslConfig.Builder builder = SslConfig.builder().trustedCertificates(files.caCertificates())
                .peerCertificateRequired(true).keyPassword("secret");
        if (format == PemKey.EC_KEY_AND_CERT_IN_ONE_FILE) {
            Path both = dir.resolve("bob-both.pem");
            Files.writeString(both, Files.readString(files.key()) + Files.readString(files.certChain()));
            builder.pem(null, both);
        } else {
            builder.pem(files.key(), files.certChain());
        }
        // bob listens, so his key is the one the handshake proves
        assertMutualTls(builder.build(), SslConfig.fromPem(aliceFiles.key(), aliceFiles.certChain(),
                aliceFiles.caCertificates(), true));
    }

    enum StoreSource { PKCS12_FILE, JKS_FILE, KEY_STORE_OBJECTS, MANAGER_FACTORIES }

    @ParameterizedTest
    @EnumSource(StoreSource.class)
    void javaKeyAndTrustStoresWork(StoreSource source) throws Exception {
        SslConfig.Builder builder = SslConfig.builder().peerCertificateRequired(true);
        switch (source) {
            case PKCS12_FILE -> builder
                    .keyStore(pki.writeKeyStore("bob.p12", "PKCS12", ecBob, PASSWORD), PASSWORD)
                    .trustStore(pki.writeTrustStore("trust.p12", "PKCS12", root, PASSWORD), PASSWORD);
            case JKS_FILE -> builder
                    .keyStore(pki.writeKeyStore("bob.jks", "JKS", ecBob, PASSWORD), PASSWORD)
                    .trustStore(pki.writeTrustStore("trust.jks", "JKS", root, PASSWORD), PASSWORD);
            case KEY_STORE_OBJECTS -> builder
                    .keyStore(TestPki.keyStore("PKCS12", ecBob, PASSWORD), PASSWORD)
                    .trustStore(TestPki.trustStore("PKCS12", root));
            case MANAGER_FACTORIES -> {
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(TestPki.keyStore("PKCS12", ecBob, PASSWORD), PASSWORD);
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(TestPki.trustStore("PKCS12", root));
                builder.keyManager(keys).trustManager(trust);
            }
        }
        assertMutualTls(builder.build(), SslConfig.fromPem(aliceFiles.key(), aliceFiles.certChain(),
                aliceFiles.caCertificates(), true));
    }

    /** {@code listenerTls} listens, {@code connectorTls} dials; both must see each other's certificate. */
    private static void assertMutualTls(SslConfig listenerTls, SslConfig connectorTls) {
        try (RecordingLink server = new RecordingLink(); RecordingLink client = new RecordingLink()) {
            InetSocketAddress bound = server.listen(listenerTls);
            client.connect(bound, connectorTls);
            await().atMost(WAIT).until(() -> !server.connects.isEmpty() && !client.connects.isEmpty());
            assertThat(server.peerNamesAtConnect.get(server.firstConnection().id())).startsWith("alice");
            assertThat(client.peerNamesAtConnect.get(client.firstConnection().id())).startsWith("bob");
            client.send(client.firstConnection(), "ping");
            await().atMost(WAIT).until(() -> server.receivedText(server.firstConnection()).equals("ping"));
        }
    }

    @Test
    void badConfigurationsFailWhenBuilt() {
        assertThatThrownBy(() -> SslConfig.builder().pem(dir.resolve("missing.key"), aliceFiles.certChain()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.key");
        assertThatThrownBy(() -> SslConfig.builder().pem(aliceFiles.certChain(), aliceFiles.certChain()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no PEM private key");
        assertThatThrownBy(() -> SslConfig.builder().pem(aliceFiles.key(), aliceFiles.key()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no PEM certificate");
        TestPki.PeerFiles encrypted = pki.write(ecBob, root, TestPki.KeyFormat.ENCRYPTED_PKCS8, "secret");
        assertThatThrownBy(() -> SslConfig.builder().pem(encrypted.key(), encrypted.certChain()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key password");
        assertThatThrownBy(() -> SslConfig.builder().pem(encrypted.key(), encrypted.certChain())
                .keyPassword("wrong").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SslConfig.builder().pem(aliceFiles.key(), aliceFiles.certChain())
                .hostnameVerification(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hostname verification");
        assertThatThrownBy(() -> SslConfig.builder().pem(aliceFiles.key(), aliceFiles.certChain())
                .peerCertificateRequired(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trusted certificates");
        assertThatThrownBy(() -> SslConfig.builder().pem(aliceFiles.key(), aliceFiles.certChain())
                .keyStore(KeyStore.getInstance("PKCS12"), PASSWORD).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one way each");
        assertThatThrownBy(() -> SslConfig.builder().protocols("TLSv1.7").build())
                .isInstanceOf(IllegalArgumentException.class);

        SslConfig clientOnly = SslConfig.builder().trustedCertificates(aliceFiles.caCertificates())
                .peerCertificateRequired(true).build();
        assertThat(clientOnly.hasKey()).isFalse();
        try (Link link = new Link()) {
            assertThatThrownBy(() -> link.addListener(new InetSocketAddress("127.0.0.1", 0), clientOnly))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("private key");
        }
    }
}
