package org.snakemq.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.io.pem.PemObject;

import org.snakemq.link.SslConfig;

/**
 * A throw-away PKI for tests, generated at test time: a root CA, certificates issued by it, and PEM
 * or key store files written to a directory. Nothing here is checked in.
 */
public final class TestPki {

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    /** How a private key is written to PEM. */
    public enum KeyFormat { PKCS8, TRADITIONAL, ENCRYPTED_PKCS8 }

    /** A key pair and the certificate for it, with the chain up to (and including) its root. */
    public record Issued(String name, KeyPair keys, List<X509Certificate> chain) {
        public X509Certificate certificate() {
            return chain.get(0);
        }
    }

    /** Files of one peer: its key, its certificate chain, and the CA file it trusts. */
    public record PeerFiles(Path key, Path certChain, Path caCertificates) {

        /** TLS with these files that requires and verifies the other side's certificate. */
        public SslConfig mutualTls() {
            return SslConfig.fromPem(key, certChain, caCertificates, true);
        }
    }

    private final Path dir;

    public TestPki(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA. */
    public static Issued ca(String cn) {
        KeyPair keys = ecKeys();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X500Name name = new X500Name("CN=" + cn + ",O=snakemq test");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), notBefore(),
                    notAfter(), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = sign(builder, keys.getPrivate());
            return new Issued(cn, keys, List.of(certificate));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An EC end-entity certificate for client and server use, with SAN localhost and 127.0.0.1. */
    public static Issued peer(Issued ca, String cn) {
        return peer(ca, cn, ecKeys(), List.of("localhost"), List.of("127.0.0.1"));
    }

    /** An end-entity certificate for client and server use with the given subject alternative names. */
    public static Issued peer(Issued ca, String cn, KeyPair keys, List<String> dnsNames, List<String> ipAddresses) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                    notBefore(), notAfter(), new X500Name("CN=" + cn + ",O=snakemq test"), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(ca.certificate()));
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
            ipAddresses.forEach(n -> names.add(new GeneralName(GeneralName.iPAddress, n)));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            X509Certificate certificate = sign(builder, ca.keys().getPrivate());
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            chain.addAll(ca.chain());
            return new Issued(cn, keys, List.copyOf(chain));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes key (PKCS#8), chain and the CA file; returns their paths. */
    public PeerFiles write(Issued peer, Issued trustedCa) {
        return write(peer, trustedCa, KeyFormat.PKCS8, null);
    }

    public PeerFiles write(Issued peer, Issued trustedCa, KeyFormat format, String password) {
        Path key = writeKey(peer.name() + "-" + format.name().toLowerCase() + ".key", peer.keys(), format, password);
        Path chain = writeCertificates(peer.name() + ".crt", peer.chain());
        Path ca = writeCertificates(trustedCa.name() + ".crt", trustedCa.chain());
        return new PeerFiles(key, chain, ca);
    }

    public Path writeCertificates(String fileName, List<X509Certificate> certificates) {
        return writePem(fileName, writer -> {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        });
    }

    public Path writeKey(String fileName, KeyPair keys, KeyFormat format, String password) {
        PrivateKey key = keys.getPrivate();
        return writePem(fileName, writer -> {
            switch (format) {
                case PKCS8 -> writer.writeObject(new JcaPKCS8Generator(key, null));
                case TRADITIONAL -> {
                    if (key instanceof ECPrivateKey ec) {
                        // SEC1 as OpenSSL writes it, naming the curve (BouncyCastle's own writer copies
                        // the JDK's inner structure, which leaves the curve out)
                        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
                        writer.writeObject(new PemObject("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(
                                256, ec.getS(), spki.getPublicKeyData(), SECObjectIdentifiers.secp256r1).getEncoded()));
                    } else {
                        writer.writeObject(key); // an RSA key is written as PKCS#1
                    }
                }
                case ENCRYPTED_PKCS8 -> {
                    try {
                        writer.writeObject(new JcaPKCS8Generator(key,
                                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                                        .setProvider(new BouncyCastleProvider())
                                        .setPassword(password.toCharArray()).build()));
                    } catch (OperatorCreationException e) {
                        throw new IOException(e);
                    }
                }
            }
        });
    }

    /** A PKCS12 or JKS key store file holding the peer's key and chain. */
    public Path writeKeyStore(String fileName, String type, Issued peer, char[] password) {
        try {
            return write(fileName, keyStore(type, peer, password), password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS12 or JKS trust store file holding the CA's certificate. */
    public Path writeTrustStore(String fileName, String type, Issued ca, char[] password) {
        try {
            return write(fileName, trustStore(type, ca), password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path write(String fileName, KeyStore store, char[] password) throws IOException, GeneralSecurityException {
        Path file = dir.resolve(fileName);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
        return file;
    }

    public static KeyStore keyStore(String type, Issued peer, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        store.load(null, null);
        store.setKeyEntry(peer.name(), peer.keys().getPrivate(), password, peer.chain().toArray(X509Certificate[]::new));
        return store;
    }

    public static KeyStore trustStore(String type, Issued ca) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        store.load(null, null);
        store.setCertificateEntry(ca.name(), ca.certificate());
        return store;
    }

    private interface PemBody {
        void write(JcaPEMWriter writer) throws IOException;
    }

    private Path writePem(String fileName, PemBody body) {
        try {
            StringWriter text = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                body.write(writer);
            }
            Path file = dir.resolve(fileName);
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
                out.write(text.toString());
            }
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        String algorithm = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(1, ChronoUnit.HOURS));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(1, ChronoUnit.DAYS));
    }
}
