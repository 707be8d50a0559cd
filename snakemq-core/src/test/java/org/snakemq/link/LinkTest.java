package org.snakemq.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinkTest {

    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private static LinkOptions fast() {
        return LinkOptions.defaults().withReconnectInterval(Duration.ofMillis(100)).withPollInterval(Duration.ofMillis(50));
    }

    private static Set<String> linkThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("snakemq-link-"))
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void portZeroReturnsTheBoundAddress() {
        try (Link link = new Link()) {
            InetSocketAddress bound = link.addListener(ANY_LOOPBACK);
            assertThat(bound.getPort()).isPositive();
            assertThat(link.listenerAddresses()).containsExactly(bound);
        }
    }

    @Test
    void usesEpollOnLinuxUnlessTurnedOff() {
        String arch = System.getProperty("os.arch");
        boolean epollPlatform = System.getProperty("os.name").startsWith("Linux")
                && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
        try (Link link = new Link(fast())) {
            assertThat(link.ioTransport()).isEqualTo(epollPlatform ? "epoll" : "nio");
        }
        try (Link link = new Link(fast().withNativeTransport(false))) {
            assertThat(link.ioTransport()).isEqualTo("nio");
        }
    }

    @ParameterizedTest(name = "native transport {0}")
    @ValueSource(booleans = {true, false})
    void carriesBytesBothWaysAndReportsWrites(boolean nativeTransport) {
        LinkOptions options = fast().withNativeTransport(nativeTransport);
        try (Link server = new Link(options); Link client = new Link(options)) {
            List<String> serverGot = new CopyOnWriteArrayList<>();
            List<String> clientGot = new CopyOnWriteArrayList<>();
            List<Boolean> written = new CopyOnWriteArrayList<>();
            server.onReceive().add((c, data) -> {
                serverGot.add(data.toString(StandardCharsets.US_ASCII));
                server.send(c, Unpooled.copiedBuffer("pong", StandardCharsets.US_ASCII), written::add);
            });
            client.onReceive().add((c, data) -> clientGot.add(data.toString(StandardCharsets.US_ASCII)));
            client.onConnect().add(c -> client.send(c, Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII), null));
            client.addConnector(server.addListener(ANY_LOOPBACK));
            server.start();
            client.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> String.join("", clientGot).equals("pong"));
            assertThat(String.join("", serverGot)).isEqualTo("ping");
            await().atMost(Duration.ofSeconds(5)).until(() -> written.contains(true));
        }
    }

    @Test
    void readBuffersOfABusyConnectionGrowTo256KiBAndNoFurther() {
        try (Link server = new Link(fast()); Link client = new Link(fast())) {
            List<Connection> up = new CopyOnWriteArrayList<>();
            server.onConnect().add(up::add);
            client.onConnect().add(up::add);
            client.addConnector(server.addListener(ANY_LOOPBACK));
            server.start();
            client.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> up.size() == 2);
            for (Connection connection : up) {
                assertThat(largestReadBuffer(connection)).as("%s", connection).isEqualTo(256 * 1024);
            }
        }
    }

    /** The largest read buffer the connection's allocator hands out when every read fills its buffer. */
    private static int largestReadBuffer(Connection connection) {
        ChannelConfig config = connection.channel().config();
        RecvByteBufAllocator.Handle handle = config.getRecvByteBufAllocator().newHandle();
        handle.reset(config);
        int largest = 0;
        for (int read = 0; read < 20; read++) {
            handle.attemptedBytesRead(handle.guess());
            handle.lastBytesRead(handle.guess());
            largest = Math.max(largest, handle.guess());
            handle.readComplete();
            largest = Math.max(largest, handle.guess());
        }
        return largest;
    }

    @Test
    void connectorReconnectsWhenTheListenerComesBack() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        List<Long> connects = new CopyOnWriteArrayList<>();
        try (Link client = new Link(fast())) {
            client.onConnect().add(c -> connects.add(c.id()));
            client.addConnector(address);
            client.start();
            for (int round = 0; round < 2; round++) {
                try (Link server = new Link(fast())) {
                    server.addListener(address);
                    int expected = round + 1;
                    await().atMost(Duration.ofSeconds(15)).until(() -> connects.size() >= expected);
                }
            }
        }
        assertThat(connects).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void loopBlocksUntilStop() throws Exception {
        try (Link link = new Link(fast())) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread runner = new Thread(() -> {
                try {
                    link.loop();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "loop-caller");
            runner.start();
            await().atMost(Duration.ofSeconds(5)).until(link::isRunning);
            assertThat(runner.isAlive()).isTrue();
            link.stop();
            runner.join(5000);
            assertThat(runner.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
        }
    }

    @Test
    void loopPassCallbacksRunOnTheLoopThreadAfterWakeup() {
        try (Link link = new Link(LinkOptions.defaults().withPollInterval(Duration.ofSeconds(60)))) {
            List<String> threads = new CopyOnWriteArrayList<>();
            link.onLoopPass().add(() -> threads.add(Thread.currentThread().getName()));
            link.start();
            link.wakeup();
            await().atMost(Duration.ofSeconds(5)).until(() -> !threads.isEmpty());
            assertThat(threads.get(0)).startsWith("snakemq-link-");
        }
    }

    @Test
    void aThrowingCallbackDoesNotStopTheLoop() {
        try (Link server = new Link(fast()); Link client = new Link(fast())) {
            List<String> got = new CopyOnWriteArrayList<>();
            server.onReceive().add((c, data) -> {
                throw new IllegalStateException("boom from a user callback");
            });
            server.onReceive().add((c, data) -> got.add(data.toString(StandardCharsets.US_ASCII)));
            client.onConnect().add(c -> client.send(c, Unpooled.copiedBuffer("a", StandardCharsets.US_ASCII), null));
            client.addConnector(server.addListener(ANY_LOOPBACK));
            server.start();
            client.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("a"));
        }
    }

    @Test
    void closeFreesEveryThreadAndPort() throws IOException {
        Set<String> before = linkThreads();
        InetSocketAddress bound;
        try (Link server = new Link(fast()); Link client = new Link(fast())) {
            bound = server.addListener(ANY_LOOPBACK);
            List<Connection> up = new CopyOnWriteArrayList<>();
            server.onConnect().add(up::add);
            client.addConnector(bound);
            server.start();
            client.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> !up.isEmpty());
            assertThat(linkThreads()).hasSizeGreaterThan(before.size());
        }
        // threads of links that earlier tests closed may still be ending: only ours must be gone
        await().atMost(Duration.ofSeconds(10)).until(() -> before.containsAll(linkThreads()));
        try (ServerSocket again = new ServerSocket()) {
            again.bind(bound);
            assertThat(again.getLocalPort()).isEqualTo(bound.getPort());
        }
    }

    @Test
    void closingALinkThatNeverRanClosesTheConnectionsItAccepted() {
        List<Connection> clientSide = new CopyOnWriteArrayList<>();
        List<Connection> gone = new CopyOnWriteArrayList<>();
        try (Link client = new Link(fast())) {
            client.onConnect().add(clientSide::add);
            client.onDisconnect().add(gone::add);
            InetSocketAddress bound;
            try (Link server = new Link(fast())) {
                bound = server.addListener(ANY_LOOPBACK); // accepts without start()
                client.addConnector(bound);
                client.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> !clientSide.isEmpty());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> gone.size() == 1);
        }
    }

    @Test
    void connectionIdsAreUniqueForTheLinksLife() {
        try (Link server = new Link(fast())) {
            InetSocketAddress bound = server.addListener(ANY_LOOPBACK);
            List<Long> ids = new CopyOnWriteArrayList<>();
            server.onConnect().add(c -> {
                ids.add(c.id());
                server.disconnect(c);
            });
            server.start();
            try (Link client = new Link(fast())) {
                client.addConnector(bound);
                client.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> ids.size() >= 4);
            }
            assertThat(ids).doesNotHaveDuplicates();
        }
    }
}
