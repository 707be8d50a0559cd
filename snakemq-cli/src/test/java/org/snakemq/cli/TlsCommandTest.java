package org.snakemq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.snakemq.testing.TestPki;

class TlsCommandTest {

    @TempDir
    static Path dir;

    private static TestPki.PeerFiles bob;
    private static TestPki.PeerFiles alice;
    private static TestPki.PeerFiles mallory;

    @BeforeAll
    static void pki() {
        TestPki pki = new TestPki(dir);
        TestPki.Issued ca = TestPki.ca("test root");
        TestPki.Issued otherCa = TestPki.ca("other root");
        bob = pki.write(TestPki.peer(ca, "bob"), ca);
        alice = pki.write(TestPki.peer(ca, "alice"), ca);
        mallory = pki.write(TestPki.peer(otherCa, "mallory"), ca);
    }

    private static Cli tlsListener(TestPki.PeerFiles files, String... more) {
        String[] head = {"listen", "--identity", "bob", "--listen", "127.0.0.1:0", "--tls-key", files.key().toString(),
                "--tls-cert", files.certChain().toString(), "--tls-ca", files.caCertificates().toString(),
                "--tls-verify"};
        return Cli.start(Cli.args(head, more));
    }

    @Test
    void mutuallyVerifiedTlsDelivers() {
        try (Cli listen = tlsListener(bob, "--count", "1")) {
            Cli send = Cli.sendFromAliceToBob(listen.address(),
                    "--tls-key", alice.key().toString(), "--tls-cert", alice.certChain().toString(),
                    "--tls-ca", alice.caCertificates().toString(), "--tls-verify", "secret");

            assertThat(send.awaitExit()).as(send.errText()).isZero();
            assertThat(send.out()).containsExactly("SENT 1");
            assertThat(listen.awaitExit()).isZero();
            assertThat(listen.lines("RECV")).singleElement().asString().endsWith(" secret");
        }
    }

    @Test
    void aConnectorWithoutVerificationNeedsNoCertificateOfItsOwn() {
        try (Cli listen = Cli.listenAsBob("--count", "1",
                "--tls-key", bob.key().toString(), "--tls-cert", bob.certChain().toString())) {
            Cli send = Cli.sendFromAliceToBob(listen.address(),
                    "--tls-ca", alice.caCertificates().toString(), "encrypted");

            assertThat(send.awaitExit()).as(send.errText()).isZero();
            assertThat(listen.awaitExit()).isZero();
            assertThat(listen.lines("RECV")).singleElement().asString().endsWith(" encrypted");
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedWithOneLineAndExitCode4() {
        try (Cli listen = tlsListener(bob)) {
            Cli send = Cli.run("send", "--identity", "mallory", "--connect", listen.address(), "--to", "bob",
                    "--tls-key", mallory.key().toString(), "--tls-cert", mallory.certChain().toString(),
                    "--tls-ca", mallory.caCertificates().toString(), "--tls-verify", "--timeout", "15", "let me in");

            assertThat(send.awaitExit()).isEqualTo(ExitCode.TLS);
            assertThat(send.err()).singleElement().asString().startsWith("snakemq: ").contains("TLS");
            assertThat(send.out()).isEmpty();
            assertThat(listen.lines("RECV")).isEmpty();
            // the listener goes on, reporting the refused peer as a warning
            assertThat(listen.isRunning()).isTrue();
        }
    }

    @Test
    void aListenerCertificateFromAnUntrustedCaIsRefusedByAVerifyingConnector() {
        try (Cli listen = Cli.start("listen", "--identity", "bob", "--listen", "127.0.0.1:0",
                "--tls-key", mallory.key().toString(), "--tls-cert", mallory.certChain().toString())) {
            Cli send = Cli.sendFromAliceToBob(listen.address(),
                    "--tls-ca", alice.caCertificates().toString(), "--tls-verify", "--timeout", "15", "to whom?");

            assertThat(send.awaitExit()).isEqualTo(ExitCode.TLS);
            assertThat(send.err()).singleElement().asString().startsWith("snakemq: TLS handshake with ");
        }
    }

    @Test
    void plaintextToATlsListenerTimesOut() {
        try (Cli listen = tlsListener(bob)) {
            Cli send = Cli.sendFromAliceToBob(listen.address(), "--timeout", "1", "in clear");

            assertThat(send.awaitExit()).isEqualTo(ExitCode.TIMEOUT);
            assertThat(send.err()).singleElement().asString().startsWith("snakemq: timed out after 1 s");
        }
    }

    @Test
    void unusableCertificateFilesExitWith4() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        Cli missing = Cli.run("send", "--identity", "alice", "--connect", "127.0.0.1:1", "--to", "bob",
                "--tls-cert", dir.resolve("missing.crt").toString(), "x");
        Cli bad = Cli.run("send", "--identity", "alice", "--connect", "127.0.0.1:1", "--to", "bob",
                "--tls-key", garbage.toString(), "--tls-cert", garbage.toString(), "x");

        assertThat(missing.awaitExit()).isEqualTo(ExitCode.TLS);
        assertThat(missing.err()).singleElement().asString().contains("missing.crt");
        assertThat(bad.awaitExit()).isEqualTo(ExitCode.TLS);
        assertThat(bad.err()).singleElement().asString().startsWith("snakemq: TLS settings: ");
    }

    @Test
    void listeningWithTlsNeedsACertificate() {
        Cli noCert = Cli.run("listen", "--identity", "bob", "--listen", "127.0.0.1:0", "--tls-verify",
                "--tls-ca", bob.caCertificates().toString());

        assertThat(noCert.awaitExit()).isEqualTo(ExitCode.USAGE);
        assertThat(noCert.err()).singleElement().asString().contains("needs --tls-cert");
    }
}
