package org.snakemq.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

import org.snakemq.link.SslConfig;
import org.snakemq.messaging.Messaging;

/** The options every command shares: who this peer is, where it listens and connects, and how. */
final class CommonOptions {

    static final double DEFAULT_TIMEOUT_SECONDS = 30;

    @Option(names = "--identity", required = true, paramLabel = "ID", order = 1,
            description = "This peer's identity (1 to 50 characters).")
    String identity;

    @Option(names = "--listen", paramLabel = "HOST:PORT", order = 2,
            description = "Listen on this address (repeatable). Port 0 picks a free port; every bound "
                    + "address is printed first as LISTENING HOST:PORT. ':PORT' listens on every "
                    + "interface, '[::1]:PORT' on IPv6.")
    List<HostPort> listen = new ArrayList<>();

    @Option(names = "--connect", paramLabel = "HOST:PORT", order = 3,
            description = "Connect to this address (repeatable), again every second after a failure. At "
                    + "least one --listen or --connect is needed.")
    List<HostPort> connect = new ArrayList<>();

    @Option(names = "--storage", paramLabel = "FILE", order = 4,
            description = "SQLite file for persistent queues (created if missing; one process at a time).")
    Path storage;

    @Option(names = "--tls-key", paramLabel = "FILE", order = 5,
            description = "TLS: own private key, PEM (PKCS#8, PKCS#1 RSA or SEC1 EC).")
    Path tlsKey;

    @Option(names = "--tls-cert", paramLabel = "FILE", order = 6,
            description = "TLS: own certificate chain, PEM, own certificate first (needed to listen with TLS).")
    Path tlsCert;

    @Option(names = "--tls-ca", paramLabel = "FILE", order = 7,
            description = "TLS: CA certificates, PEM, that a peer's certificate must chain to (with --tls-verify).")
    Path tlsCa;

    @Option(names = "--tls-verify", order = 8,
            description = "TLS: require the peer's certificate and check it against --tls-ca (without "
                    + "--tls-ca a connector checks against the JDK's public CAs).")
    boolean tlsVerify;

    @Option(names = "--keepalive", paramLabel = "SECONDS", order = 9,
            description = "Send PING after this long without traffic; close the connection when 5 s pass "
                    + "without an answer.")
    Double keepalive;

    @Option(names = "--throttle", paramLabel = "BYTES_PER_SECOND", order = 10,
            description = "Limit every connection to this many bytes per second in each direction.")
    Long throttle;

    @Option(names = "--timeout", paramLabel = "SECONDS", order = 11,
            description = "Give up after this long and exit 1 (default 30; listen without --count and rpc "
                    + "serve run until stopped unless --timeout is given).")
    Double timeout;

    /** Checks what picocli cannot; throws a usage error. */
    void validate() {
        if (identity.isEmpty() || identity.length() > Messaging.MAX_IDENTITY_LENGTH) {
            throw CliException.usage("--identity must have 1 to " + Messaging.MAX_IDENTITY_LENGTH + " characters");
        }
        if (listen.isEmpty() && connect.isEmpty()) {
            throw CliException.usage("give at least one --listen HOST:PORT or --connect HOST:PORT");
        }
        for (HostPort address : connect) {
            if (address.host().isEmpty() || address.port() == 0) {
                throw CliException.usage("--connect " + address + ": needs a host and a port other than 0");
            }
        }
        if (timeout != null && !(timeout > 0 && timeout <= 1e9)) {
            throw CliException.usage("--timeout must be a positive number of seconds");
        }
        if (keepalive != null && !(keepalive > 0 && keepalive <= 1e9)) {
            throw CliException.usage("--keepalive must be a positive number of seconds");
        }
        if (throttle != null && throttle <= 0) {
            throw CliException.usage("--throttle must be a positive number of bytes per second");
        }
        if (tlsKey != null && tlsCert == null) {
            throw CliException.usage("--tls-key needs --tls-cert");
        }
        if (usesTls() && !listen.isEmpty() && tlsCert == null) {
            throw CliException.usage(
                    "listening with TLS needs --tls-cert (and --tls-key unless the certificate file holds the key)");
        }
        for (Path file : new Path[] {tlsKey, tlsCert, tlsCa}) {
            if (file != null && !Files.isReadable(file)) {
                throw new CliException(ExitCode.TLS, "cannot read " + file);
            }
        }
    }

    boolean usesTls() {
        return tlsKey != null || tlsCert != null || tlsCa != null || tlsVerify;
    }

    /** The TLS settings, or null for plaintext. */
    SslConfig sslConfig() {
        if (!usesTls()) {
            return null;
        }
        SslConfig.Builder builder = SslConfig.builder()
                .peerCertificates(tlsVerify ? SslConfig.PeerCertificates.REQUIRED : SslConfig.PeerCertificates.NONE);
        if (tlsCert != null) {
            builder.pem(tlsKey, tlsCert);
        }
        if (tlsCa != null) {
            builder.trustedCertificates(tlsCa);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CliException(ExitCode.TLS, "TLS settings: " + e.getMessage(), e);
        }
    }

    boolean timeoutGiven() {
        return timeout != null;
    }

    Duration timeout() {
        return Duration.ofNanos((long) ((timeout == null ? DEFAULT_TIMEOUT_SECONDS : timeout) * 1e9));
    }

    Duration keepaliveInterval() {
        return keepalive == null ? null : Duration.ofNanos((long) (keepalive * 1e9));
    }
}
