package org.snakemq.link;

import org.snakemq.testing.LogCapture;
import org.snakemq.testing.TestPki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with Python's {@code ssl} module configured as Python snakeMQ configures it (key, cert,
 * ca_certs, cert_reqs=CERT_REQUIRED), from the same generated PEM files. Each side sends one
 * length-prefixed frame over the raw link. Skipped, with a message, where python3 is missing.
 */
class PythonTlsInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static Path script;
    static TestPki.Issued root;
    static TestPki.PeerFiles java;
    static TestPki.PeerFiles python;
    static TestPki.PeerFiles rogue;

    @BeforeAll
    static void setUp() throws Exception {
        boolean found = python3Works();
        if (!found) {
            System.err.println("SKIPPED: python3 not found; TLS interop with Python peers is not checked");
        }
        Assumptions.assumeTrue(found, "python3 not found; TLS interop with Python peers is not checked");
        script = dir.resolve("tls_peer.py");
        try (InputStream in = PythonTlsInteropTest.class.getResourceAsStream("/python/tls_peer.py")) {
            Files.write(script, in.readAllBytes());
        }
        TestPki pki = new TestPki(dir);
        root = TestPki.ca("testroot");
        java = pki.write(TestPki.peer(root, "javapeer"), root);
        // Python gets an RSA key in PKCS#1 form, as `openssl genrsa` used to write them
        python = pki.write(TestPki.peer(root, "pythonpeer", TestPki.rsaKeys(), List.of("localhost"),
                List.of("127.0.0.1")), root, TestPki.KeyFormat.TRADITIONAL, null);
        rogue = pki.write(TestPki.peer(TestPki.ca("testroot"), "rogue"), root);
    }

    private static boolean python3Works() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import ssl").redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static SslConfig javaTls() {
        return SslConfig.fromPem(java.key(), java.certChain(), java.caCertificates(), true);
    }

    /** Replies to the first complete frame on a connection with one frame of its own. */
    static RecordingLink framedEcho(String reply) {
        RecordingLink peer = new RecordingLink();
        peer.link.onReceive().add((c, data) -> {
            byte[] got = peer.receivedBytes(c);
            if (got.length >= 4 && got.length == 4 + ByteBuffer.wrap(got).getInt()) {
                byte[] payload = reply.getBytes(StandardCharsets.UTF_8);
                peer.link.send(c, Unpooled.buffer().writeInt(payload.length).writeBytes(payload), null);
            }
        });
        return peer;
    }

    static String payload(RecordingLink peer, Connection c) {
        byte[] got = peer.receivedBytes(c);
        return new String(got, 4, got.length - 4, StandardCharsets.UTF_8);
    }

    @Test
    void pythonClientTalksToJavaListener() throws Exception {
        try (RecordingLink server = framedEcho("hello from java")) {
            Result result = runPythonClient(server.listen(javaTls()), python, "hello from python");
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("PEER_CN javapeer", "GOT hello from java", "DONE");
            await().atMost(WAIT).until(() -> !server.connects.isEmpty());
            Connection c = server.firstConnection();
            assertThat(server.peerNamesAtConnect.get(c.id())).startsWith("pythonpeer");
            assertThat(payload(server, c)).isEqualTo("hello from python");
            System.out.println("python client: " + result.output().replace('\n', ' '));
        }
    }

    @Test
    void javaConnectorTalksToPythonListener() throws Exception {
        try (RecordingLink client = framedEcho("hello from java")) {
            Result result = runPython(port -> client.connect(new InetSocketAddress("127.0.0.1", port), javaTls()),
                    "server", python.key().toString(), python.certChain().toString(),
                    python.caCertificates().toString(), "hello from python");
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("PEER_CN javapeer", "GOT hello from java", "DONE");
            Connection c = client.firstConnection();
            assertThat(client.peerNamesAtConnect.get(c.id())).startsWith("pythonpeer");
            await().atMost(WAIT).until(() -> payload(client, c).equals("hello from python"));
        }
    }

    @Test
    void pythonClientWithUntrustedCertificateIsRefused() throws Exception {
        try (RecordingLink server = framedEcho("must not be sent")) {
            Result result = runPythonClient(server.listen(javaTls()), rogue, "let me in");
            assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
            assertThat(result.output()).contains("ERROR").doesNotContain("GOT");
            assertThat(server.connects).isEmpty();
        }
    }

    record Result(int exitCode, String output) {
    }

    interface PortListener {
        void onPort(int port);
    }

    /** Runs the script as a client of {@code listener} with the given key and certificates, sending {@code text}. */
    private static Result runPythonClient(InetSocketAddress listener, TestPki.PeerFiles files, String text)
            throws Exception {
        return runPython(null, "client", "127.0.0.1", String.valueOf(listener.getPort()), files.key().toString(),
                files.certChain().toString(), files.caCertificates().toString(), text);
    }

    /** Runs the script; in server mode waits for its "PORT n" line and hands the port on. */
    private static Result runPython(PortListener onPort, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", script.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                StringBuilder text = new StringBuilder();
                try {
                    for (String line; (line = reader.readLine()) != null; ) {
                        text.append(line).append('\n');
                        if (onPort != null && line.startsWith("PORT ")) {
                            onPort.onPort(Integer.parseInt(line.substring(5).trim()));
                        }
                    }
                } catch (IOException e) {
                    text.append("read failed: ").append(e);
                }
                return text.toString();
            });
            if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("python peer did not finish in " + WAIT);
            }
            return new Result(process.exitValue(), output.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        } finally {
            process.destroyForcibly();
        }
    }
}
