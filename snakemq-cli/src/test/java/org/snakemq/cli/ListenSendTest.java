package org.snakemq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.packeter.Packeter;

class ListenSendTest {

    private static final String RECV = "RECV (\\S+) ([0-9a-f]{32}) (\\S+) (\\d+) (.*)";

    @Test
    void sendDeliversEveryTextAndListenPrintsOneLineEach() {
        try (Cli listen = Cli.listenAsBob("--count", "2")) {
            assertThat(listen.address()).matches("127\\.0\\.0\\.1:\\d+").doesNotEndWith(":0");
            Cli send = Cli.sendFromAliceToBob(listen.address(), "hello world", "zwei");

            assertThat(send.awaitExit()).as(send.errText()).isZero();
            assertThat(send.out()).containsExactly("SENT 2");
            assertThat(listen.awaitExit()).as(listen.errText()).isZero();
            List<String> received = listen.lines("RECV");
            assertThat(received).hasSize(2);
            assertThat(received.get(0)).matches(RECV).startsWith("RECV alice ").endsWith(" inf 0 hello world");
            assertThat(received.get(1)).matches(RECV).endsWith(" inf 0 zwei");
            assertThat(listen.out().get(0)).startsWith("LISTENING ");
        }
    }

    @Test
    void ttlAndPersistentFlagAreShownInRecvLines() {
        try (Cli listen = Cli.listenAsBob("--count", "2")) {
            String address = listen.address();
            Cli persistent = Cli.sendFromAliceToBob(address, "--ttl", "600", "--persistent", "kept");
            Cli plain = Cli.run("send", "--identity", "carol", "--connect", address, "--to", "bob",
                    "--ttl", "0", "live only");

            assertThat(persistent.awaitExit()).as(persistent.errText()).isZero();
            assertThat(plain.awaitExit()).as(plain.errText()).isZero();
            assertThat(listen.awaitExit()).isZero();
            String kept = listen.lines("RECV alice ").get(0);
            String[] fields = kept.split(" ", 6);
            // the TTL counts down only while bob was not connected yet: at most a few seconds gone
            assertThat(Integer.parseInt(fields[3])).isBetween(590, 600);
            assertThat(fields[4]).isEqualTo("1");
            assertThat(fields[5]).isEqualTo("kept");
            assertThat(listen.lines("RECV carol ").get(0)).matches(RECV).endsWith(" 0 0 live only");
        }
    }

    @Test
    void countAndSizeGenerateNumberedMessagesInOrder() {
        try (Cli listen = Cli.listenAsBob("--count", "50")) {
            Cli send = Cli.sendFromAliceToBob(listen.address(), "--count", "50", "--size", "40");

            assertThat(send.awaitExit()).as(send.errText()).isZero();
            assertThat(send.out()).containsExactly("SENT 50");
            assertThat(listen.awaitExit()).isZero();
            List<String> data = listen.lines("RECV").stream().map(l -> l.split(" ", 6)[5]).toList();
            assertThat(data).hasSize(50);
            for (int i = 0; i < 50; i++) {
                assertThat(data.get(i)).startsWith(i + ":").hasSize(40);
            }
            assertThat(data.get(0)).isEqualTo("0:abcdefghijklmnopqrstuvwxyzabcdefghijkl");
        }
    }

    @Test
    void sizeDefaultsTo100Bytes() {
        try (Cli listen = Cli.listenAsBob("--count", "1")) {
            Cli send = Cli.sendFromAliceToBob(listen.address(), "--count", "1");

            assertThat(send.awaitExit()).isZero();
            assertThat(listen.awaitExit()).isZero();
            assertThat(listen.lines("RECV").get(0).split(" ", 6)[5]).startsWith("0:").hasSize(100);
        }
    }

    @Test
    void controlCharactersAndBackslashesAreEscapedToKeepOneLine() {
        try (Cli listen = Cli.listenAsBob("--count", "1")) {
            Cli send = Cli.sendFromAliceToBob(listen.address(), "a\\b\nc\td\u0001é");

            assertThat(send.awaitExit()).isZero();
            assertThat(listen.awaitExit()).isZero();
            assertThat(listen.lines("RECV")).singleElement().asString().endsWith(" a\\\\b\\nc\\td\\x01é");
        }
    }

    @Test
    void listenerMayConnectToTheSender() {
        try (Cli send = Cli.start("send", "--identity", "alice", "--listen", "127.0.0.1:0", "--to", "bob",
                "reversed roles")) {
            Cli listen = Cli.run("listen", "--identity", "bob", "--connect", send.address(), "--count", "1");

            assertThat(listen.awaitExit()).as(listen.errText()).isZero();
            assertThat(listen.lines("RECV")).singleElement().asString().endsWith(" reversed roles");
            assertThat(send.awaitExit()).isZero();
            assertThat(send.lines("SENT")).containsExactly("SENT 1");
        }
    }

    @Test
    void echoSendsEachMessageBackToItsSender() {
        try (Cli listen = Cli.listenAsBob("--count", "2", "--echo");
             Link link = new Link()) {
            Messaging carol = new Messaging("carol", "", new Packeter(link));
            List<String> echoes = new CopyOnWriteArrayList<>();
            carol.onMessageReceived().add((connection, sender, message) -> echoes.add(sender + ":" + message.text()));
            String[] hostPort = listen.address().split(":");
            link.addConnector(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
            carol.send("bob", Message.of("ping"));
            carol.send("bob", Message.of("pong"));
            link.start();

            await().atMost(Cli.WAIT).until(() -> echoes.size() == 2);
            assertThat(echoes).containsExactly("bob:ping", "bob:pong");
            assertThat(listen.awaitExit()).isZero();
            assertThat(listen.lines("RECV")).hasSize(2);
        }
    }

    @Test
    void messagesBeyondCountAreNeitherPrintedNorAcknowledged() {
        try (Cli listen = Cli.listenAsBob("--count", "3")) {
            String address = listen.address();
            Cli send = Cli.sendFromAliceToBob(address, "--count", "10", "--timeout", "5");

            assertThat(listen.awaitExit()).isZero();
            assertThat(listen.lines("RECV")).hasSize(3);
            // the sender still holds what bob did not take
            assertThat(send.awaitExit()).isEqualTo(ExitCode.TIMEOUT);
            assertThat(send.errText()).contains("messages not delivered");
        }
    }

    @Test
    void listenWithoutCountRunsUntilStopped() {
        Cli listen = Cli.listenAsBob();
        listen.address();
        Cli send = Cli.sendFromAliceToBob(listen.address(), "one");
        assertThat(send.awaitExit()).isZero();
        listen.awaitLines("RECV", 1);
        assertThat(listen.isRunning()).isTrue();

        listen.close();
        assertThat(listen.awaitExit(Duration.ofSeconds(5))).isEqualTo(ExitCode.INTERRUPTED);
    }

    @Test
    void anExplicitTimeoutEndsListenWithExitCode1() {
        Cli listen = Cli.run("listen", "--identity", "bob", "--listen", "127.0.0.1:0", "--timeout", "0.5");

        assertThat(listen.awaitExit()).isEqualTo(ExitCode.TIMEOUT);
        assertThat(listen.err()).singleElement().asString().startsWith("snakemq: timed out after 0.5 s");
    }

    @Test
    void throttleAndKeepaliveOptionsStillDeliver() {
        try (Cli listen = Cli.listenAsBob("--count", "5", "--keepalive", "1", "--throttle", "20000")) {
            Cli send = Cli.sendFromAliceToBob(listen.address(),
                    "--count", "5", "--size", "1000", "--throttle", "20000", "--keepalive", "1");

            assertThat(send.awaitExit()).as(send.errText()).isZero();
            assertThat(listen.awaitExit()).isZero();
            assertThat(listen.lines("RECV")).hasSize(5);
        }
    }
}
