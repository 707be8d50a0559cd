package org.snakemq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the built executable jar ({@code java -jar snakemq-cli/target/snakemq-cli.jar}) as separate
 * processes, and against a plain protocol-1 peer written in Python. Runs in the integration-test
 * phase, after the jar was built; skipped, saying why, when the jar or python3 is missing.
 */
class CliJarIT {

    private static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void findJar() {
        jar = Path.of(System.getProperty("snakemq.cli.jar", "target/snakemq-cli.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            System.err.println("CliJarIT skipped: " + jar + " is missing (build it with ./mvnw package)");
        }
        assumeTrue(Files.isRegularFile(jar), "skipped: " + jar + " is missing (build it with ./mvnw package)");
    }

    @Test
    void sendAndListenInTwoProcesses() throws Exception {
        try (JarProcess listen = JarProcess.snakemq(jar, "listen", "--identity", "bob", "--listen", "127.0.0.1:0");
             JarProcess send = JarProcess.snakemq(jar, "send", "--identity", "alice", "--connect",
                     address(listen), "--to", "bob", "--ttl", "600", "one", "two ünïcode")) {
            assertThat(send.awaitExit()).as("%s", send).isZero();
            assertThat(send.out()).containsExactly("SENT 2");
            List<String> received = listen.awaitLines("RECV", 2);
            assertThat(received.get(0)).matches("RECV alice [0-9a-f]{32} \\d+ 0 one");
            assertThat(received.get(1)).endsWith(" 0 two ünïcode");
            // without --count it runs until stopped; SIGTERM closes it
            listen.terminate();
            assertThat(listen.waitFor(Duration.ofSeconds(15))).isTrue();
        }
    }

    @Test
    void persistentMessagesSurviveAKilledSender() throws Exception {
        String storage = dir.resolve("alice.db").toString();
        // the messages are stored before the sender listens: once LISTENING shows, they are durable
        try (JarProcess doomed = JarProcess.snakemq(jar, "send", "--identity", "alice", "--listen", "127.0.0.1:0",
                "--to", "bob", "--storage", storage, "--persistent", "--timeout", "60", "kept 1", "kept 2")) {
            address(doomed);
            doomed.kill();
        }
        try (JarProcess listen = JarProcess.snakemq(jar, "listen", "--identity", "bob", "--listen", "127.0.0.1:0",
                "--count", "2");
             JarProcess resend = JarProcess.snakemq(jar, "send", "--identity", "alice", "--connect", address(listen),
                     "--to", "bob", "--storage", storage)) {
            assertThat(resend.awaitExit()).as("%s", resend).isZero();
            assertThat(resend.out()).containsExactly("SENT 2");
            assertThat(listen.awaitExit()).isZero();
            assertThat(listen.lines("RECV")).satisfiesExactly(
                    first -> assertThat(first).endsWith(" inf 1 kept 1"),
                    second -> assertThat(second).endsWith(" inf 1 kept 2"));
        }
    }

    @Test
    void sendToAndListenForAPlainProtocol1Peer() throws Exception {
        String python = python3();
        Path script = script();
        try (JarProcess peer = JarProcess.of(python, script.toString(), "listen", "py", "1");
             JarProcess send = JarProcess.snakemq(jar, "send", "--identity", "javasender", "--connect",
                     "127.0.0.1:" + peer.awaitLine(l -> l.startsWith("PORT ")).substring(5), "--to", "py",
                     "--ttl", "30", "--persistent", "hello python")) {
            // delivered to a peer that does not acknowledge: fully written
            assertThat(send.awaitExit()).as("%s", send).isZero();
            assertThat(send.out()).containsExactly("SENT 1");
            String line = peer.awaitLine(l -> l.startsWith("MSG "));
            assertThat(line).matches("MSG javasender [0-9a-f]{32} \\d+ 1 hello python");
            assertThat(Integer.parseInt(line.split(" ")[3])).isBetween(20, 30);
            assertThat(peer.awaitExit()).isZero();
        }
        try (JarProcess listen = JarProcess.snakemq(jar, "listen", "--identity", "javalistener", "--listen",
                "127.0.0.1:0", "--count", "2");
             JarProcess peer = JarProcess.of(python, script.toString(), "send", "py",
                     address(listen).split(":")[1], "42", "1", "hello java", "second")) {
            assertThat(peer.awaitExit()).as("%s", peer).isZero();
            assertThat(peer.out()).containsExactly("IDENT javalistener", "SENT 2");
            assertThat(listen.awaitExit()).as("%s", listen).isZero();
            assertThat(listen.lines("RECV")).satisfiesExactly(
                    first -> assertThat(first).matches("RECV py [0-9a-f]{32} 42 1 hello java"),
                    second -> assertThat(second).endsWith(" 42 1 second"));
        }
    }

    private static String address(JarProcess process) {
        return process.awaitLine(l -> l.startsWith("LISTENING ")).substring("LISTENING ".length());
    }

    private static String python3() throws InterruptedException {
        boolean present;
        try {
            Process probe = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            present = probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        }
        if (!present) {
            System.err.println("CliJarIT: python3 is missing; the protocol-1 interoperability test is skipped");
        }
        assumeTrue(present, "skipped: python3 is missing, so there is no plain protocol-1 peer to talk to");
        return "python3";
    }

    private static Path script() throws URISyntaxException {
        return Path.of(CliJarIT.class.getResource("/python/plain_peer.py").toURI());
    }
}
