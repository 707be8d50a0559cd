package org.snakemq.link;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The names a certificate carries: its subject's common name and its subject alternative names.
 * Stateless; any thread may call it (identity verifiers do, on the loop thread).
 */
public final class CertificateNames {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private CertificateNames() {
    }

    /** The subject's CN (the most specific one when there are several), if any. */
    public static Optional<String> commonName(X509Certificate certificate) {
        try {
            LdapName name = new LdapName(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253));
            // LdapName lists RDNs from the least specific; the last CN is the most specific
            String cn = null;
            for (Rdn rdn : name.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = String.valueOf(rdn.getValue());
                }
            }
            return Optional.ofNullable(cn);
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }

    /** The DNS names among the subject alternative names. */
    public static List<String> dnsNames(X509Certificate certificate) {
        return alternativeNames(certificate, SAN_DNS);
    }

    /** The IP addresses among the subject alternative names, as the JDK prints them. */
    public static List<String> ipAddresses(X509Certificate certificate) {
        return alternativeNames(certificate, SAN_IP);
    }

    private static List<String> alternativeNames(X509Certificate certificate, int type) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            List<String> result = new ArrayList<>();
            for (List<?> entry : names) {
                if (entry.size() >= 2 && entry.get(0) instanceof Integer t && t == type
                        && entry.get(1) instanceof String value) {
                    result.add(value);
                }
            }
            return List.copyOf(result);
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }
}
