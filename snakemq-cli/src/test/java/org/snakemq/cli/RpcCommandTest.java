package org.snakemq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RpcCommandTest {

    private static Cli server;
    private static String address;

    @BeforeAll
    static void serve() {
        server = Cli.start("rpc", "serve", "--identity", "server", "--listen", "127.0.0.1:0");
        address = server.address();
        server.awaitLine("READY"::equals);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Cli call(String... methodAndArgs) {
        String[] head = {"rpc", "call", "--identity", "client", "--connect", address, "--to", "server",
                "--object", "demo", "--timeout", "10", "--method"};
        return Cli.run(Cli.args(head, methodAndArgs));
    }

    @Test
    void readyFollowsTheListeningLine() {
        assertThat(server.out().subList(0, 2)).satisfiesExactly(
                first -> assertThat(first).startsWith("LISTENING 127.0.0.1:"),
                second -> assertThat(second).isEqualTo("READY"));
    }

    @Test
    void echoReturnsItsArgumentAsJson() {
        Cli echo = call("echo", "{\"name\":\"snake\",\"list\":[1,2.5,true,null,\"x\"],\"big\":12345678901234567890}");

        assertThat(echo.awaitExit()).as(echo.errText()).isZero();
        assertThat(echo.out()).singleElement().asString().startsWith("{").contains("\"name\":\"snake\"")
                .contains("\"list\":[1,2.5,true,null,\"x\"]").contains("\"big\":12345678901234567890");
    }

    static Stream<Arguments> resultsOfCalls() {
        return Stream.of(
                Arguments.of(List.of("echo", "\"héllo\""), "\"héllo\""),
                Arguments.of(List.of("add", "2", "40"), "42"),
                Arguments.of(List.of("add", "1.5", "2"), "3.5"),
                Arguments.of(List.of("add", "\"snake\"", "\"MQ\""), "\"snakeMQ\""),
                Arguments.of(List.of("sleep", "0.01"), "null"));
    }

    @ParameterizedTest(name = "{0} prints {1}")
    @MethodSource("resultsOfCalls")
    void aCallPrintsItsResultAsJson(List<String> methodAndArgs, String result) {
        Cli call = call(methodAndArgs.toArray(String[]::new));

        assertThat(call.awaitExit()).as(call.errText()).isZero();
        assertThat(call.out()).containsExactly(result);
    }

    @Test
    void aRemoteExceptionPrintsClassMessageAndTracebackAndExits3() {
        Cli fail = call("fail", "\"boom\"");

        assertThat(fail.awaitExit()).isEqualTo(ExitCode.REMOTE_EXCEPTION);
        assertThat(fail.out()).isEmpty();
        assertThat(fail.err().get(0)).isEqualTo("snakemq: remote exception java.lang.RuntimeException: boom");
        assertThat(fail.errText()).contains("at org.snakemq.cli.DemoObject.fail(");
    }

    @Test
    void anUnknownMethodIsARemoteException() {
        Cli missing = call("nosuch");

        assertThat(missing.awaitExit()).isEqualTo(ExitCode.REMOTE_EXCEPTION);
        assertThat(missing.err().get(0)).startsWith("snakemq: remote exception ").contains("nosuch");
    }

    @Test
    void aSignalIsPrintedByTheServer() {
        Cli signal = Cli.run("rpc", "call", "--identity", "signaller", "--connect", address, "--to", "server",
                "--object", "demo", "--method", "notify", "--signal", "--timeout", "10", "{\"k\":[1,\"two\"]}");

        assertThat(signal.awaitExit()).as(signal.errText()).isZero();
        assertThat(signal.out()).isEmpty();
        assertThat(server.awaitLine(l -> l.startsWith("SIGNAL"))).isEqualTo("SIGNAL notify {\"k\":[1,\"two\"]}");
    }

    @Test
    void aSignalWithTtlWaitsForThePeer() {
        // the signal is queued with a TTL while the serving peer is not there yet; it connects later
        try (Cli signal = Cli.start("rpc", "call", "--identity", "queued", "--listen", "127.0.0.1:0", "--to", "late",
                "--object", "demo", "--method", "notify", "--signal", "--ttl", "60", "\"later\"");
             Cli late = Cli.start("rpc", "serve", "--identity", "late", "--connect", signal.address())) {
            assertThat(signal.awaitExit()).as(signal.errText()).isZero();
            assertThat(late.awaitLine(l -> l.startsWith("SIGNAL"))).isEqualTo("SIGNAL notify \"later\"");
        }
    }

    @Test
    void aSlowMethodTimesOutWithExitCode1() {
        Cli slow = Cli.run("rpc", "call", "--identity", "impatient", "--connect", address, "--to", "server",
                "--object", "demo", "--method", "sleep", "--timeout", "2", "5");

        assertThat(slow.awaitExit()).isEqualTo(ExitCode.TIMEOUT);
        assertThat(slow.err()).singleElement().asString()
                .isEqualTo("snakemq: timed out after 2 s: the call was sent, no reply came");
    }

    @Test
    void anArgumentThatIsNotJsonIsAUsageError() {
        Cli bad = call("echo", "hello");

        assertThat(bad.awaitExit()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).singleElement().asString().contains("ARG 1 is not JSON").contains("hello");
    }

    @Test
    void ttlWithoutSignalIsAUsageError() {
        Cli bad = call("echo", "--ttl", "5", "1");

        assertThat(bad.awaitExit()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).singleElement().asString().contains("--ttl only applies to --signal");
    }
}
