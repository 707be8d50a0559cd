package org.snakemq.autoconfigure;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away CA and a peer certificate signed by it (CN and SAN localhost / 127.0.0.1), written as
 * PEM files and as JKS key and trust stores, for SSL bundle tests.
 */
final class TestCertificates {

    static final String PASSWORD = "changeit";

    final Path caCertificate;
    final X509Certificate peer;
    final Path peerCertificate;
    final Path peerKey;
    final Path keyStore;
    final Path trustStore;

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;

    private TestCertificates(Path dir) throws Exception {
        this.dir = dir;
        caKeys = keyPair();
        ca = certificate("CN=snakemq test CA", caKeys, "CN=snakemq test CA", caKeys.getPrivate(), true);
        KeyPair peerKeys = keyPair();
        peer = certificate("CN=localhost", peerKeys, "CN=snakemq test CA", caKeys.getPrivate(), false);

        caCertificate = dir.resolve("ca.crt");
        peerCertificate = dir.resolve("peer.crt");
        peerKey = dir.resolve("peer.key");
        writePem(caCertificate, ca);
        writePem(peerCertificate, peer, ca);
        writePem(peerKey, new JcaPKCS8Generator(peerKeys.getPrivate(), null).generate());

        keyStore = dir.resolve("peer.jks");
        KeyStore keys = KeyStore.getInstance("JKS");
        keys.load(null, null);
        keys.setKeyEntry("peer", peerKeys.getPrivate(), PASSWORD.toCharArray(), new Certificate[] {peer, ca});
        store(keys, keyStore);

        trustStore = dir.resolve("trust.jks");
        KeyStore trust = KeyStore.getInstance("JKS");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        store(trust, trustStore);
    }

    static TestCertificates create(Path dir) throws Exception {
        return new TestCertificates(dir);
    }

    /** A certificate of this CA for {@code commonName} (SAN localhost, 127.0.0.1), as PEM files. */
    record Issued(X509Certificate certificate, Path certificateFile, Path keyFile) {
    }

    /** Issues a certificate for {@code commonName}, written to {@code <fileName>.crt} and {@code .key}. */
    Issued issue(String commonName, String fileName) throws Exception {
        return issue(commonName, dir.resolve(fileName + ".crt"), dir.resolve(fileName + ".key"));
    }

    /** Issues a certificate for {@code commonName}, written to the given files (replacing them). */
    Issued issue(String commonName, Path certificateFile, Path keyFile) throws Exception {
        KeyPair keys = keyPair();
        X509Certificate certificate = certificate("CN=" + commonName, keys, "CN=snakemq test CA",
                caKeys.getPrivate(), false);
        writePem(keyFile, new JcaPKCS8Generator(keys.getPrivate(), null).generate());
        writePem(certificateFile, certificate, ca);
        return new Issued(certificate, certificateFile, keyFile);
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair keys, String issuer, PrivateKey signer,
                                               boolean ca) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))), new X500Name(subject), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!ca) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    private static void writePem(Path file, Object... objects) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        }
        Files.writeString(file, out.toString());
    }

    private static void store(KeyStore store, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
    }
}
