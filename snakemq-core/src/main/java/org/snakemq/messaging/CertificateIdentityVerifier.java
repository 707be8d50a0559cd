package org.snakemq.messaging;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.snakemq.link.CertificateNames;
import org.snakemq.link.Connection;

/**
 * Binds identities to TLS certificates: a peer may announce only an identity that is its
 * certificate's subject CN or one of its subject-alternative DNS names (compared without regard to
 * ASCII case; wildcard names match nothing). A peer without a verified certificate (a plaintext
 * connection, or TLS without a client certificate) is refused. Because Messaging lets a verified
 * connection take over an older connection of the same identity, a peer that comes back with its
 * certificate replaces its own stale connection instead of being refused. With
 * {@link MessagingOptions#requireVerifiedIdentity()} such a takeover must show the same certificate
 * key as the connection it replaces, so another certificate naming the same identity cannot push a
 * connected peer out.
 *
 * <pre>{@code
 * messaging.setIdentityVerifier(new CertificateIdentityVerifier());
 * link.addListener(address, SslConfig.fromPem(key, cert, ca, true)); // certificates REQUIRED
 * }</pre>
 *
 * <p>Use it with {@link org.snakemq.link.SslConfig.PeerCertificates#REQUIRED} on listeners and
 * connectors, so that every certificate seen here was verified against the trusted CAs during the
 * handshake. Called on the link's loop thread; stateless and thread-safe.
 */
public final class CertificateIdentityVerifier implements IdentityVerifier {

    @Override
    public String refusal(Connection connection, String identity) {
        if (!connection.isSecure()) {
            return "not a TLS connection, so there is no certificate to bind the identity to";
        }
        List<X509Certificate> chain = connection.peerCertificates();
        if (chain.isEmpty()) {
            return "the peer presented no certificate";
        }
        X509Certificate own = chain.get(0);
        Optional<String> cn = CertificateNames.commonName(own);
        if (cn.isPresent() && cn.get().equals(identity)) {
            return null;
        }
        for (String dns : CertificateNames.dnsNames(own)) {
            if (!dns.contains("*") && dns.toLowerCase(Locale.ROOT).equals(identity.toLowerCase(Locale.ROOT))) {
                return null;
            }
        }
        return "the certificate names " + names(cn, own) + ", not " + identity;
    }

    private static String names(Optional<String> cn, X509Certificate certificate) {
        StringBuilder text = new StringBuilder("CN=").append(cn.orElse("(none)"));
        List<String> dns = CertificateNames.dnsNames(certificate);
        if (!dns.isEmpty()) {
            text.append(" DNS=").append(String.join(",", dns));
        }
        return text.toString();
    }
}
