package org.snakemq.link;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads the PEM files that OpenSSL (and so Python's {@code ssl} module) uses: certificates, and private
 * keys as PKCS#8 ({@code BEGIN PRIVATE KEY}), encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}),
 * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) and SEC1 ({@code BEGIN EC PRIVATE KEY}). Needs no
 * third-party library: PKCS#1 and SEC1 keys are re-wrapped as PKCS#8 for the JDK's key factories.
 */
final class PemFiles {

    private static final byte[] OID_RSA = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] OID_EC_PUBLIC_KEY = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "EdDSA", "RSASSA-PSS", "DSA", "XDH"};

    private PemFiles() {
    }

    /** One {@code -----BEGIN type----- ... -----END type-----} block. */
    record Block(String type, List<String> headers, byte[] der) {
    }

    static List<Block> read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    static List<Block> parse(String text, String source) throws IOException {
        List<Block> blocks = new ArrayList<>();
        String type = null;
        List<String> headers = new ArrayList<>();
        StringBuilder base64 = new StringBuilder();
        for (String rawLine : text.split("\r?\n|\r")) {
            String line = rawLine.strip();
            if (type == null) {
                if (line.startsWith("-----BEGIN ") && line.endsWith("-----")) {
                    type = line.substring(11, line.length() - 5);
                    headers = new ArrayList<>();
                    base64.setLength(0);
                }
            } else if (line.equals("-----END " + type + "-----")) {
                try {
                    blocks.add(new Block(type, List.copyOf(headers), Base64.getMimeDecoder().decode(base64.toString())));
                } catch (IllegalArgumentException e) {
                    throw new IOException(source + ": bad base64 in " + type + " block", e);
                }
                type = null;
            } else if (line.contains(":")) {
                headers.add(line);
            } else {
                base64.append(line);
            }
        }
        if (type != null) {
            throw new IOException(source + ": " + type + " block has no END line");
        }
        return blocks;
    }

    /** Every certificate in a PEM file, in file order. */
    static List<X509Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : read(file)) {
            if (block.type().equals("CERTIFICATE") || block.type().equals("X509 CERTIFICATE")
                    || block.type().equals("TRUSTED CERTIFICATE")) {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException(file + ": no PEM certificate found");
        }
        return certificates;
    }

    /** The first private key in a PEM file; {@code password} is needed for an encrypted PKCS#8 key. */
    static PrivateKey readPrivateKey(Path file, char[] password) throws IOException, GeneralSecurityException {
        byte[] ecParameters = null; // `openssl ecparam -genkey` writes the curve in a block of its own
        for (Block block : read(file)) {
            switch (block.type()) {
                case "PRIVATE KEY":
                    return pkcs8(block.der(), file);
                case "ENCRYPTED PRIVATE KEY":
                    return encryptedPkcs8(block.der(), password, file);
                case "RSA PRIVATE KEY":
                    rejectLegacyEncryption(block, file);
                    return pkcs8(wrapPkcs8(sequence(oid(OID_RSA), derNull()), block.der()), file);
                case "EC PRIVATE KEY":
                    rejectLegacyEncryption(block, file);
                    return pkcs8(wrapPkcs8(sequence(oid(OID_EC_PUBLIC_KEY), ecCurveOid(block.der(), ecParameters, file)),
                            block.der()), file);
                case "EC PARAMETERS":
                    ecParameters = block.der();
                    break;
                default:
                    // certificates, EC PARAMETERS and the like sit next to keys; skip them
            }
        }
        throw new IOException(file + ": no PEM private key found");
    }

    private static void rejectLegacyEncryption(Block block, Path file) throws IOException {
        if (block.headers().stream().anyMatch(h -> h.startsWith("Proc-Type:") && h.contains("ENCRYPTED"))) {
            throw new IOException(file + ": OpenSSL-encrypted " + block.type() + " is not supported;"
                    + " convert it with `openssl pkcs8 -topk8` to an (encrypted) PKCS#8 key");
        }
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // try the next algorithm
            }
        }
        throw new IOException(file + ": unsupported or corrupt private key");
    }

    private static PrivateKey encryptedPkcs8(byte[] der, char[] password, Path file)
            throws IOException, GeneralSecurityException {
        if (password == null) {
            throw new IOException(file + ": the private key is encrypted; set a key password");
        }
        EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
        // for PBES2 the JDK reports the full scheme here, e.g. PBEWithHmacSHA256AndAES_256
        String algorithm = info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
        SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password)), info.getAlgParameters());
        try {
            return pkcs8(info.getKeySpec(cipher).getEncoded(), file);
        } catch (InvalidKeySpecException e) {
            throw new IOException(file + ": wrong key password or corrupt key", e);
        }
    }

    // ---------------------------------------------------------------- minimal DER

    /** The namedCurve OID from a SEC1 ECPrivateKey: SEQUENCE { INTEGER, OCTET STRING, [0] OID, [1] BIT STRING }. */
    private static byte[] ecCurveOid(byte[] sec1, byte[] ecParameters, Path file) throws IOException {
        Der outer = new Der(sec1, 0);
        if (outer.tag != 0x30) {
            throw new IOException(file + ": EC PRIVATE KEY is not a DER sequence");
        }
        int pos = outer.contentStart;
        while (pos < outer.end) {
            Der element = new Der(sec1, pos);
            if (element.tag == 0xa0) {
                Der oid = new Der(sec1, element.contentStart);
                if (oid.tag == 0x06) {
                    return Arrays.copyOfRange(sec1, element.contentStart, oid.end);
                }
            }
            pos = element.end;
        }
        if (ecParameters != null && new Der(ecParameters, 0).tag == 0x06) {
            return ecParameters;
        }
        throw new IOException(file + ": EC PRIVATE KEY does not name its curve");
    }

    private static byte[] wrapPkcs8(byte[] algorithmIdentifier, byte[] privateKey) {
        return sequence(new byte[] {0x02, 0x01, 0x00}, algorithmIdentifier, tlv(0x04, privateKey));
    }

    private static byte[] oid(byte[] value) {
        return tlv(0x06, value);
    }

    private static byte[] derNull() {
        return new byte[] {0x05, 0x00};
    }

    private static byte[] sequence(byte[]... elements) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] element : elements) {
            content.writeBytes(element);
        }
        return tlv(0x30, content.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** The header of one DER element at an offset. */
    private static final class Der {
        final int tag;
        final int contentStart;
        final int end;

        Der(byte[] data, int offset) throws IOException {
            if (offset + 2 > data.length) {
                throw new IOException("truncated DER");
            }
            tag = data[offset] & 0xff;
            int first = data[offset + 1] & 0xff;
            int pos = offset + 2;
            int length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7f;
                if (count == 0 || count > 3 || pos + count > data.length) {
                    throw new IOException("unsupported DER length");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (data[pos++] & 0xff);
                }
            }
            contentStart = pos;
            end = pos + length;
            if (end > data.length) {
                throw new IOException("truncated DER");
            }
        }
    }
}
