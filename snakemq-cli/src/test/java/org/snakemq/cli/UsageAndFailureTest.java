package org.snakemq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsageAndFailureTest {

    @Test
    void anUnknownOptionPrintsOneLineAndExits2() {
        Cli cli = Cli.run("send", "--identity", "alice", "--connect", "127.0.0.1:1", "--to", "bob", "--bogus", "x");

        assertThat(cli.awaitExit()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err()).singleElement().asString()
                .isEqualTo("snakemq: Unknown option: '--bogus' (see 'snakemq send --help')");
    }

    /** Command lines that are usage errors: what is wrong, the arguments, and what the one error line names. */
    static Stream<Arguments> usageErrors() {
        return Stream.of(
                usageError("a missing identity", "--identity", "listen", "--listen", "127.0.0.1:0"),
                usageError("TEXT and --count together", "either TEXT or --count",
                        "send", "--identity", "alice", "--connect", "127.0.0.1:1", "--to", "bob", "--count", "2", "x"),
                usageError("nothing to send", "nothing to send",
                        "send", "--identity", "alice", "--connect", "127.0.0.1:1", "--to", "bob"),
                usageError("no command", "missing command"));
    }

    private static Arguments usageError(String what, String named, String... args) {
        return Arguments.of(Named.of(what, args), named);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void aUsageErrorPrintsOneLineNamingTheProblemAndExits2(String[] args, String named) {
        Cli cli = Cli.run(args);

        assertThat(cli.awaitExit()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err()).singleElement().asString().contains(named);
    }

    @Test
    void neitherListenNorConnectIsAUsageError() {
        Cli cli = Cli.run("listen", "--identity", "bob");

        assertThat(cli.awaitExit()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err()).singleElement().asString()
                .isEqualTo("snakemq: give at least one --listen HOST:PORT or --connect HOST:PORT (see 'snakemq listen --help')");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--ttl=-1", "--ttl=soon", "--connect=nohostport", "--connect=127.0.0.1:99999",
            "--count=0", "--timeout=0", "--throttle=0", "--size=5"})
    void badValuesAreUsageErrors(String option) {
        Cli cli = Cli.run("send", "--identity", "alice", "--listen", "127.0.0.1:0", "--to", "bob", option, "x");

        assertThat(cli.awaitExit()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err()).singleElement().asString().startsWith("snakemq: ").endsWith("(see 'snakemq send --help')");
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void anUnreachablePeerEndsWithExitCode1WithinTheTimeout() {
        long start = System.nanoTime();
        Cli cli = Cli.run("send", "--identity", "alice", "--connect", "127.0.0.1:1", "--to", "bob", "--timeout", "3", "x");

        assertThat(cli.awaitExit()).isEqualTo(ExitCode.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(12));
        assertThat(cli.err()).singleElement().asString()
                .isEqualTo("snakemq: timed out after 3 s: 1 of 1 messages not delivered; bob is not connected"
                        + " (last problem: connect to /127.0.0.1:1 failed: Connection refused: /127.0.0.1:1)");
    }

    @Test
    void anUnreachableRpcPeerEndsWithExitCode1() {
        Cli cli = Cli.run("rpc", "call", "--identity", "client", "--connect", "127.0.0.1:1", "--to", "server",
                "--object", "demo", "--method", "echo", "--timeout", "1", "1");

        assertThat(cli.awaitExit()).isEqualTo(ExitCode.TIMEOUT);
        assertThat(cli.err()).singleElement().asString().startsWith("snakemq: timed out after 1 s: server is not connected");
    }

    @Test
    void anUnknownHostIsUnreachable() {
        Cli cli = Cli.run("send", "--identity", "alice", "--connect", "no-such-host.invalid:4000", "--to", "bob",
                "--timeout", "1", "x");

        assertThat(cli.awaitExit()).isEqualTo(ExitCode.TIMEOUT);
        assertThat(cli.err()).singleElement().asString().contains("unknown host");
    }

    @Test
    void anAddressInUseCannotBeListenedOn() {
        try (Cli first = Cli.listenAsBob()) {
            Cli second = Cli.run("listen", "--identity", "bob2", "--listen", first.address());

            assertThat(second.awaitExit()).isEqualTo(ExitCode.FAILURE);
            assertThat(second.err()).singleElement().asString().startsWith("snakemq: cannot listen on " + first.address());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "listen", "send", "rpc", "rpc serve", "rpc call"})
    void everyCommandHasHelpWithTheExitCodes(String command) {
        String[] words = command.isEmpty() ? new String[0] : command.split(" ");
        String[] args = new String[words.length + 1];
        System.arraycopy(words, 0, args, 0, words.length);
        args[words.length] = "--help";
        Cli cli = Cli.run(args);

        assertThat(cli.awaitExit()).isZero();
        assertThat(cli.out().get(0)).startsWith("Usage: snakemq" + (command.isEmpty() ? "" : " " + command));
        assertThat(cli.outText()).contains("Exit codes:").containsPattern("\\n  2 +bad command line");
    }

    @Test
    void hostPortForms() {
        assertThat(HostPort.parse("127.0.0.1:4000")).isEqualTo(new HostPort("127.0.0.1", 4000));
        assertThat(HostPort.parse("[::1]:4000")).isEqualTo(new HostPort("::1", 4000));
        assertThat(HostPort.parse(":4000")).isEqualTo(new HostPort("", 4000));
        assertThat(HostPort.parse("[::1]:4000").toString()).isEqualTo("[::1]:4000");
        assertThatThrownBy(() -> HostPort.parse("::1:4000")).hasMessageContaining("brackets");
        assertThatThrownBy(() -> HostPort.parse("host")).hasMessageContaining("HOST:PORT");
    }

    @Test
    void ttlForms() {
        assertThat(Ttl.parse("inf").value()).isNull();
        assertThat(Ttl.parse("0").isZero()).isTrue();
        assertThat(Ttl.parse("1.5").value()).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> Ttl.parse("-1")).hasMessageContaining("negative");
    }

    @Test
    void logMessagesLoseExceptionClassNamesAndRepeatedCauses() {
        assertThat(Node.plain("conn#1 TLS error: io.netty.handler.codec.DecoderException: "
                + "javax.net.ssl.SSLHandshakeException: Received fatal alert: bad_certificate "
                + "(javax.net.ssl.SSLHandshakeException: Received fatal alert: bad_certificate)"))
                .isEqualTo("conn#1 TLS error: Received fatal alert: bad_certificate");
    }
}
