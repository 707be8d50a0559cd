package org.snakemq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    @Test
    void echoOfAString() {
        Cli echo = call("echo", "\"héllo\"");

        assertThat(echo.awaitExit()).isZero();
        assertThat(echo.out()).containsExactly("\"héllo\"");
    }

    @Test
    void addReturnsTheSum() {
        Cli ints = call("add", "2", "40");
        Cli floats = call("add", "1.5", "2");
        Cli strings = call("add", "\"snake\"", "\"MQ\"");

        assertThat(ints.awaitExit()).isZero();
        assertThat(ints.out()).containsExactly("42");
        assertThat(floats.awaitExit()).isZero();
        assertThat(floats.out()).containsExactly("3.5");
        assertThat(strings.awaitExit()).isZero();
        assertThat(strings.out()).containsExactly("\"snakeMQ\"");
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
    void sleepReturnsNull() {
        Cli sleep = call("sleep", "0.01");

        assertThat(sleep.awaitExit()).isZero();
        assertThat(sleep.out()).containsExactly("null");
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
