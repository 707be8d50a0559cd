package org.snakemq.link;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

/**
 * TLS settings for a listener or a connector, like the original's
 * {@code SSLConfig(keyfile, certfile, ca_certs=..., cert_reqs=CERT_REQUIRED)}. Immutable; build it
 * from PEM files or from key and trust managers (Java key stores, Spring Boot SSL bundles).
 *
 * <pre>{@code
 * SslConfig tls = SslConfig.builder()
 *         .pem(Path.of("peer.key"), Path.of("peer.crt"))
 *         .trustedCertificates(Path.of("root.crt"))
 *         .peerCertificateRequired(true)
 *         .build();
 * }</pre>
 */
public final class SslConfig {

    private final SslContext serverContext;
    private final SslContext clientContext;
    private final boolean hostnameVerification;
    private final Duration handshakeTimeout;

    private SslConfig(Builder b) throws SSLException {
        this.hostnameVerification = b.hostnameVerification;
        this.handshakeTimeout = b.handshakeTimeout;
        this.serverContext = b.hasKey() ? b.configure(b.serverBuilder(), true).build() : null;
        this.clientContext = b.configure(b.clientBuilder(), false).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** PEM key and certificate chain, trusted CA certificates, and whether the peer must present one. */
    public static SslConfig fromPem(Path key, Path certChain, Path caCertificates, boolean peerCertificateRequired) {
        return builder().pem(key, certChain).trustedCertificates(caCertificates)
                .peerCertificateRequired(peerCertificateRequired).build();
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

    /** Whether connectors check that the listener's certificate names the host they dialled. */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /** How long a TLS handshake may take before the connection is dropped. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** Builds an {@link SslConfig}. */
    public static final class Builder {
        private File keyFile;
        private File certChainFile;
        private String keyPassword;
        private KeyManagerFactory keyManagerFactory;
        private File trustedCertificatesFile;
        private TrustManagerFactory trustManagerFactory;
        private boolean peerCertificateRequired;
        private boolean hostnameVerification;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private List<String> protocols = List.of("TLSv1.3", "TLSv1.2");

        private Builder() {
        }

        /** Own private key (PKCS#8 PEM) and certificate chain (PEM). */
        public Builder pem(Path key, Path certChain) {
            this.keyFile = key.toFile();
            this.certChainFile = certChain.toFile();
            return this;
        }

        /** Password of an encrypted PEM private key. */
        public Builder keyPassword(String password) {
            this.keyPassword = password;
            return this;
        }

        /** Own key material from a key store. */
        public Builder keyManager(KeyManagerFactory factory) {
            this.keyManagerFactory = factory;
            return this;
        }

        /** CA certificates (PEM) that a peer's certificate must chain to. */
        public Builder trustedCertificates(Path caCertificates) {
            this.trustedCertificatesFile = caCertificates == null ? null : caCertificates.toFile();
            return this;
        }

        /** Trust material from a trust store. */
        public Builder trustManager(TrustManagerFactory factory) {
            this.trustManagerFactory = factory;
            return this;
        }

        /** Whether the peer must present a trusted certificate (the original's CERT_REQUIRED). */
        public Builder peerCertificateRequired(boolean required) {
            this.peerCertificateRequired = required;
            return this;
        }

        /** Whether connectors verify the host name against the listener's certificate. */
        public Builder hostnameVerification(boolean verify) {
            this.hostnameVerification = verify;
            return this;
        }

        /** How long a handshake may take (default 10 s). */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** TLS protocol versions to enable (default TLSv1.3 and TLSv1.2). */
        public Builder protocols(String... names) {
            this.protocols = List.of(names);
            return this;
        }

        public SslConfig build() {
            try {
                return new SslConfig(this);
            } catch (SSLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid TLS configuration: " + e.getMessage(), e);
            }
        }

        boolean hasKey() {
            return keyFile != null || keyManagerFactory != null;
        }

        SslContextBuilder serverBuilder() {
            return keyManagerFactory != null
                    ? SslContextBuilder.forServer(keyManagerFactory)
                    : SslContextBuilder.forServer(certChainFile, keyFile, keyPassword);
        }

        SslContextBuilder clientBuilder() {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (keyManagerFactory != null) {
                builder.keyManager(keyManagerFactory);
            } else if (keyFile != null) {
                builder.keyManager(certChainFile, keyFile, keyPassword);
            }
            if (hostnameVerification) {
                builder.endpointIdentificationAlgorithm("HTTPS");
            } else {
                builder.endpointIdentificationAlgorithm(null);
            }
            return builder;
        }

        SslContextBuilder configure(SslContextBuilder builder, boolean server) {
            if (!server && !peerCertificateRequired) {
                // like the original's CERT_NONE: encrypt, but do not check the listener's certificate
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (trustManagerFactory != null) {
                builder.trustManager(trustManagerFactory);
            } else if (trustedCertificatesFile != null) {
                builder.trustManager(trustedCertificatesFile);
            }
            if (server) {
                builder.clientAuth(peerCertificateRequired ? ClientAuth.REQUIRE
                        : (trustManagerFactory != null || trustedCertificatesFile != null) ? ClientAuth.OPTIONAL
                        : ClientAuth.NONE);
            }
            return builder.protocols(protocols);
        }
    }
}
