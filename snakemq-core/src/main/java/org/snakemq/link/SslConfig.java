package org.snakemq.link;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

/**
 * TLS settings for a listener or a connector, like the original's
 * {@code SSLConfig(keyfile, certfile, ca_certs=..., cert_reqs=CERT_REQUIRED)}. Immutable and
 * shareable between listeners and connectors; build it from PEM files, from Java key and trust
 * stores, or from key and trust manager factories (Spring Boot SSL bundles supply those).
 *
 * <pre>{@code
 * SslConfig tls = SslConfig.builder()
 *         .pem(Path.of("testpeer.key"), Path.of("testpeer.crt"))
 *         .trustedCertificates(Path.of("testroot.crt"))
 *         .peerCertificates(SslConfig.PeerCertificates.REQUIRED)
 *         .build();
 * link.addListener(new InetSocketAddress(4000), tls);
 * link.addConnector(new InetSocketAddress("localhost", 4000), tls);
 * }</pre>
 *
 * <p>All files are read by {@link Builder#build()}, so a bad file fails there with an
 * {@link IllegalArgumentException} rather than later on the loop thread.
 */
public final class SslConfig {

    /**
     * What is asked of the other side's certificate; the original's {@code cert_reqs}.
     * For a listener: NONE does not ask the connector for a certificate, OPTIONAL asks and verifies
     * one if sent, REQUIRED refuses a connector without a trusted certificate. For a connector:
     * NONE accepts any listener certificate (encryption without authentication); OPTIONAL and
     * REQUIRED both verify it, as Python does for client sockets.
     * Immutable.
     */
    public enum PeerCertificates { NONE, OPTIONAL, REQUIRED }

    /** TLS versions enabled by default. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final SslContext serverContext;
    private final SslContext clientContext;
    private final PeerCertificates peerCertificates;
    private final boolean hostnameVerification;
    private final Duration handshakeTimeout;
    private final List<String> protocols;

    private SslConfig(Builder b) throws IOException, GeneralSecurityException {
        this.peerCertificates = b.peerCertificates;
        this.hostnameVerification = b.hostnameVerification;
        this.handshakeTimeout = b.handshakeTimeout;
        this.protocols = b.protocols;
        List<String> supported = List.of(SSLContext.getDefault().getSupportedSSLParameters().getProtocols());
        for (String protocol : protocols) {
            if (!supported.contains(protocol)) {
                throw new IllegalArgumentException("unsupported TLS protocol " + protocol + "; this JDK has " + supported);
            }
        }
        if (hostnameVerification && peerCertificates == PeerCertificates.NONE) {
            throw new IllegalArgumentException("hostname verification needs peer certificates OPTIONAL or REQUIRED");
        }
        KeyManagerFactory keys = b.keyManagers();
        TrustManagerFactory trust = b.trustManagers();
        if (peerCertificates != PeerCertificates.NONE && trust == null && keys != null) {
            // a listener would verify connectors against the JDK's public CAs: almost never what a
            // snakeMQ network wants, and the original refuses this too (ca_certs is needed)
            throw new IllegalArgumentException("peer certificates " + peerCertificates
                    + " need trusted certificates (a CA PEM file, a trust store or a TrustManagerFactory)");
        }
        this.serverContext = keys == null ? null : server(keys, trust);
        this.clientContext = client(keys, trust);
    }

    private SslContext server(KeyManagerFactory keys, TrustManagerFactory trust) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(keys).protocols(protocols);
        switch (peerCertificates) {
            case NONE -> builder.clientAuth(ClientAuth.NONE);
            case OPTIONAL -> builder.clientAuth(ClientAuth.OPTIONAL).trustManager(trust);
            case REQUIRED -> builder.clientAuth(ClientAuth.REQUIRE).trustManager(trust);
        }
        return builder.build();
    }

    private SslContext client(KeyManagerFactory keys, TrustManagerFactory trust) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient().protocols(protocols);
        if (keys != null) {
            builder.keyManager(keys);
        }
        if (peerCertificates == PeerCertificates.NONE) {
            // the original's CERT_NONE: encrypt, but do not check the listener's certificate
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else {
            builder.trustManager(trust); // null: the JDK's default trust store
        }
        builder.endpointIdentificationAlgorithm(hostnameVerification ? "HTTPS" : null);
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * PEM key and certificate chain, trusted CA certificates (may be null), and whether the peer must
     * present a trusted certificate: the original's
     * {@code SSLConfig(keyfile, certfile, ca_certs=..., cert_reqs=CERT_REQUIRED or CERT_NONE)}.
     */
    public static SslConfig fromPem(Path key, Path certChain, Path caCertificates, boolean peerCertificateRequired) {
        return builder().pem(key, certChain).trustedCertificates(caCertificates)
                .peerCertificateRequired(peerCertificateRequired).build();
    }

    /** Whether this config has its own key and certificate (needed for a listener). */
    public boolean hasKey() {
        return serverContext != null;
    }

    /** The context for accepted connections; fails when the config has no own key. */
    public SslContext serverContext() {
        if (serverContext == null) {
            throw new IllegalStateException("a TLS listener needs a private key and certificate");
        }
        return serverContext;
    }

    /** The context for outgoing connections. */
    public SslContext clientContext() {
        return clientContext;
    }

    /** What is asked of the other side's certificate. */
    public PeerCertificates peerCertificates() {
        return peerCertificates;
    }

    /** Whether connectors check that the listener's certificate names the host they dialled. */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /** How long a TLS handshake may take before the connection is dropped. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** The enabled TLS versions. */
    public List<String> protocols() {
        return protocols;
    }

    @Override
    public String toString() {
        return "SslConfig[peerCertificates=" + peerCertificates + ", hostnameVerification=" + hostnameVerification
                + ", protocols=" + protocols + ", handshakeTimeout=" + handshakeTimeout + ", key=" + hasKey() + "]";
    }

    /**
     * Builds an {@link SslConfig}. Own key material comes from exactly one of {@link #pem},
     * {@link #keyStore} or {@link #keyManager} (none: a connector without a client certificate);
     * trust material from at most one of {@link #trustedCertificates}, {@link #trustStore} or
     * {@link #trustManager}.
     * Not thread-safe: configure it on one thread; the built {@link SslConfig} is immutable.
     */
    public static final class Builder {
        private Path keyFile;
        private Path certChainFile;
        private char[] keyPassword;
        private KeyStore keyStore;
        private Path keyStoreFile;
        private char[] keyStorePassword;
        private KeyManagerFactory keyManagerFactory;
        private Path trustedCertificatesFile;
        private KeyStore trustStore;
        private Path trustStoreFile;
        private char[] trustStorePassword;
        private TrustManagerFactory trustManagerFactory;
        private PeerCertificates peerCertificates = PeerCertificates.NONE;
        private boolean hostnameVerification;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private List<String> protocols = DEFAULT_PROTOCOLS;

        private Builder() {
        }

        /**
         * Own private key and certificate chain as PEM files (the original's keyfile and certfile).
         * The key may be PKCS#8 ({@code BEGIN PRIVATE KEY}, or {@code BEGIN ENCRYPTED PRIVATE KEY}
         * with {@link #keyPassword}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
         * ({@code BEGIN EC PRIVATE KEY}). {@code key} may be null when the certificate file holds
         * the key too. The chain starts with the own certificate.
         */
        public Builder pem(Path key, Path certChain) {
            this.certChainFile = Objects.requireNonNull(certChain, "certChain");
            this.keyFile = key != null ? key : certChain;
            return this;
        }

        /** Password of an encrypted PKCS#8 PEM private key. */
        public Builder keyPassword(String password) {
            this.keyPassword = password == null ? null : password.toCharArray();
            return this;
        }

        /** Own key and certificate chain from a loaded key store; {@code password} unlocks the key. */
        public Builder keyStore(KeyStore store, char[] password) {
            this.keyStore = Objects.requireNonNull(store, "store");
            this.keyStorePassword = password == null ? null : password.clone();
            return this;
        }

        /**
         * Own key and certificate chain from a key store file (PKCS12 or JKS, detected); the password
         * opens the store and its key.
         */
        public Builder keyStore(Path file, char[] password) {
            this.keyStoreFile = Objects.requireNonNull(file, "file");
            this.keyStorePassword = password == null ? null : password.clone();
            return this;
        }

        /** Own key material from a key manager factory (a Spring Boot SSL bundle's, for example). */
        public Builder keyManager(KeyManagerFactory factory) {
            this.keyManagerFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** CA certificates (one PEM file, any number of certificates) that a peer's chain must lead to. */
        public Builder trustedCertificates(Path caCertificates) {
            this.trustedCertificatesFile = caCertificates;
            return this;
        }

        /** Trusted certificates from a loaded key store. */
        public Builder trustStore(KeyStore store) {
            this.trustStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Trusted certificates from a trust store file (PKCS12 or JKS, detected); password may be null. */
        public Builder trustStore(Path file, char[] password) {
            this.trustStoreFile = Objects.requireNonNull(file, "file");
            this.trustStorePassword = password == null ? null : password.clone();
            return this;
        }

        /** Trust material from a trust manager factory (a Spring Boot SSL bundle's, for example). */
        public Builder trustManager(TrustManagerFactory factory) {
            this.trustManagerFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** What is asked of the other side's certificate (default NONE, as the original's default). */
        public Builder peerCertificates(PeerCertificates mode) {
            this.peerCertificates = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** {@code true}: {@link PeerCertificates#REQUIRED}; {@code false}: {@link PeerCertificates#NONE}. */
        public Builder peerCertificateRequired(boolean required) {
            return peerCertificates(required ? PeerCertificates.REQUIRED : PeerCertificates.NONE);
        }

        /**
         * Whether connectors check that the listener's certificate names the dialled host (DNS name or
         * IP address in its subject alternative names). Needs peer certificates OPTIONAL or REQUIRED.
         */
        public Builder hostnameVerification(boolean verify) {
            this.hostnameVerification = verify;
            return this;
        }

        /** How long a handshake may take before the connection is dropped (default 10 s). */
        public Builder handshakeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshake timeout must be positive");
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /** TLS versions to enable (default TLSv1.3 and TLSv1.2); {@code "TLSv1.2"} alone forces 1.2. */
        public Builder protocols(String... names) {
            if (names.length == 0) {
                throw new IllegalArgumentException("at least one protocol");
            }
            this.protocols = List.of(names);
            return this;
        }

        /** Reads the key and trust material and builds the config; fails on anything unusable. */
        public SslConfig build() {
            int keySources = count(keyFile, keyStore, keyStoreFile, keyManagerFactory);
            int trustSources = count(trustedCertificatesFile, trustStore, trustStoreFile, trustManagerFactory);
            if (keySources > 1 || trustSources > 1) {
                throw new IllegalArgumentException("give own key material and trust material one way each");
            }
            try {
                return new SslConfig(this);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("invalid TLS configuration: " + e.getMessage(), e);
            }
        }

        private static int count(Object... sources) {
            return (int) Arrays.stream(sources).filter(Objects::nonNull).count();
        }

        KeyManagerFactory keyManagers() throws IOException, GeneralSecurityException {
            if (keyManagerFactory != null) {
                return keyManagerFactory;
            }
            KeyStore store = keyStore;
            char[] password = keyStorePassword;
            if (keyStoreFile != null) {
                store = KeyStore.getInstance(keyStoreFile.toFile(), keyStorePassword);
            } else if (keyFile != null) {
                PrivateKey key = PemFiles.readPrivateKey(keyFile, keyPassword);
                List<X509Certificate> chain = PemFiles.readCertificates(certChainFile);
                password = new char[0];
                store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("key", key, password, chain.toArray(X509Certificate[]::new));
            }
            if (store == null) {
                return null;
            }
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password == null ? new char[0] : password);
            return factory;
        }

        TrustManagerFactory trustManagers() throws IOException, GeneralSecurityException {
            if (trustManagerFactory != null) {
                return trustManagerFactory;
            }
            KeyStore store = trustStore;
            if (trustStoreFile != null) {
                store = KeyStore.getInstance(trustStoreFile.toFile(), trustStorePassword);
            } else if (trustedCertificatesFile != null) {
                store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int n = 0;
                for (X509Certificate certificate : PemFiles.readCertificates(trustedCertificatesFile)) {
                    store.setCertificateEntry("ca-" + n++, certificate);
                }
            }
            if (store == null) {
                return null;
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        }
    }
}
